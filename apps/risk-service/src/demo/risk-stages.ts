import { parseCents } from "@smartrecover/contracts";
import { connectQueues, queueSettingsFromConfig } from "@smartrecover/queue";
import { createProgress } from "@smartrecover/service-kit";
import { loadRiskServiceConfig } from "../config";
import { openRiskDatabase } from "../db/risk-database";
import type { Distribution } from "../generator/debtor-generator";
import { generateTestDebtors } from "../generator/generate-debtors";
import type { GenerationReport } from "../generator/generation-stats";
import { flushOutbox, type OutboxFlushReport } from "../outbox/outbox-flush";
import { BulkProcessor } from "../processing/bulk-processor";
import type { RunReport } from "../processing/run-report";

export interface RiskStageOptions {
  count: number;
  seed: number;
  distribution: Distribution;
  threshold: string;
  batchSize: number;
  quiet: boolean;
}

export interface RiskStagesResult {
  generation: GenerationReport;
  processing: RunReport;
  delivery: OutboxFlushReport & { seconds: number };
}

/**
 * The risk-service half of the demo, configured only through `env` like the service itself:
 * generate → process → publish the outbox to SQS.
 */
export async function runRiskStages(
  env: NodeJS.ProcessEnv,
  options: RiskStageOptions,
  announce: (stage: string) => void,
): Promise<RiskStagesResult> {
  const config = loadRiskServiceConfig(env);
  const db = await openRiskDatabase(config.RISK_DATABASE_URL);
  try {
    announce(
      `generating ${options.count.toLocaleString("en-US")} debtors (seed ${options.seed}, ${options.distribution})`,
    );
    const generating = createProgress("generate", { quiet: options.quiet });
    const generation = await generateTestDebtors(db, {
      count: options.count,
      seed: options.seed,
      distribution: options.distribution,
      clear: true,
      scores: true,
      onProgress: (done, total) => generating.update(done, total),
    });
    generating.stop();

    announce(`processing, highest risk score × debt first (batches of ${options.batchSize})`);
    const processing = createProgress("process", { quiet: options.quiet });
    const report = await new BulkProcessor(db).run({
      batchSize: options.batchSize,
      thresholdCents: parseCents(options.threshold) as number,
      onProgress: (p) => (p.phase === "processing" ? processing.update(p.done, p.total) : undefined),
    });
    processing.stop();

    announce(`publishing ${report.summary.messages_queued.toLocaleString("en-US")} high-priority messages to SQS`);
    const queues = connectQueues(queueSettingsFromConfig(config));
    const started = performance.now();
    const delivery = await flushOutbox(db, queues).finally(() => queues.close());
    return {
      generation,
      processing: report,
      delivery: { ...delivery, seconds: (performance.now() - started) / 1000 },
    };
  } finally {
    await db.close();
  }
}
