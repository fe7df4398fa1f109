import { createProgress } from "@smartrecover/service-kit";
import { loadPartnerSyncConfig } from "../config";
import { createPartnerSyncConsumer } from "../consumer/partner-sync-consumer";
import { openPartnerSyncDatabase } from "../db/partner-sync-database";
import { buildSummary } from "../reports/reconciliation-report";
import type { ReconciliationSummary } from "../reports/report.schemas";

export interface ConsumeStageResult {
  stats: ReturnType<ReturnType<typeof createPartnerSyncConsumer>["stats"]>;
  seconds: number;
  summary: ReconciliationSummary;
}

/** The partner-sync half of the demo: consume and reconcile until the queue is drained, then summarise. */
export async function consumeUntilDrained(
  env: NodeJS.ProcessEnv,
  options: { quiet: boolean; expected: number },
): Promise<ConsumeStageResult> {
  const config = loadPartnerSyncConfig(env);
  const db = await openPartnerSyncDatabase(config.PARTNER_SYNC_DATABASE_URL);
  try {
    const pipeline = createPartnerSyncConsumer(db, config);
    const progress = createProgress("reconcile", { quiet: options.quiet });
    const ticker = setInterval(() => progress.update(pipeline.stats().received, options.expected), 250);
    const started = performance.now();
    try {
      await pipeline.consumer.start();
      await pipeline.consumer.waitUntilDrained();
    } finally {
      clearInterval(ticker);
      await pipeline.stop();
      progress.update(pipeline.stats().received, options.expected);
      progress.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    return { stats: pipeline.stats(), seconds, summary: await buildSummary(db, new Date()) };
  } finally {
    await db.close();
  }
}
