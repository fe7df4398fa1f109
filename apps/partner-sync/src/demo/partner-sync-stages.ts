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

export interface ReconcileStage {
  /** Messages received so far. */
  received(): number;
  /** Waits until the queue is drained, stops consuming, then summarises; call once publishing is done. */
  drain(): Promise<ConsumeStageResult>;
  /** Stops consuming and closes the database without summarising (the demo failed elsewhere). */
  stop(): Promise<void>;
}

// The demo knows when publishing ended, so it can look at the queue's counters often.
const DRAIN_CHECK_MS = 50;

/**
 * The partner-sync half of the demo, configured only through `env` like the service: consumes
 * and reconciles from now on, so it can run while messages are still being published.
 */
export async function startReconciling(env: NodeJS.ProcessEnv): Promise<ReconcileStage> {
  const config = loadPartnerSyncConfig(env);
  const db = await openPartnerSyncDatabase(config.PARTNER_SYNC_DATABASE_URL);
  const pipeline = createPartnerSyncConsumer(db, config);
  const started = performance.now();
  let consuming: Promise<void> | undefined;
  const stopConsuming = () => {
    consuming ??= pipeline.stop();
    return consuming;
  };
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= stopConsuming().finally(() => db.close());
    return closing;
  };
  try {
    await pipeline.consumer.start();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    received: () => pipeline.stats().received,
    async drain() {
      try {
        await pipeline.consumer.waitUntilDrained(DRAIN_CHECK_MS);
        await stopConsuming();
        const seconds = (performance.now() - started) / 1000;
        return { stats: pipeline.stats(), seconds, summary: await buildSummary(db, new Date()) };
      } finally {
        await close();
      }
    },
    stop: close,
  };
}
