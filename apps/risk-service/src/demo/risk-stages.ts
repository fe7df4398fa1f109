import { parseCents } from "@smartrecover/contracts";
import { connectQueues, type QueueConnection, queueSettingsFromConfig } from "@smartrecover/queue";
import { createProgress } from "@smartrecover/service-kit";
import { loadRiskServiceConfig } from "../config";
import { openRiskDatabase, type RiskDatabase } from "../db/risk-database";
import type { Distribution } from "../generator/debtor-generator";
import { generateTestDebtors } from "../generator/generate-debtors";
import type { GenerationReport } from "../generator/generation-stats";
import { flushOutbox, type OutboxFlushReport } from "../outbox/outbox-flush";
import { BulkProcessor } from "../processing/bulk-processor";
import type { RunReport } from "../processing/run-report";

const PUBLISH_POLL_MS = 100;

export interface RiskStageOptions {
  count: number;
  seed: number;
  distribution: Distribution;
  threshold: string;
  batchSize: number;
  quiet: boolean;
  /** Awaited before publishing (the demo waits for the consumer's queues to exist). */
  beforePublish?: () => Promise<void>;
}

export interface RiskStagesResult {
  generation: GenerationReport;
  processing: RunReport;
  delivery: OutboxFlushReport & { seconds: number };
}

/**
 * The risk-service half of the demo, configured only through `env` like the service itself:
 * generate, then process while publishing the outbox to SQS as batches commit. The delivery's
 * seconds run from the start of processing to the last message sent.
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

    await options.beforePublish?.();
    const queues = connectQueues(queueSettingsFromConfig(config));
    try {
      announce(
        `processing, highest risk score × debt first (batches of ${options.batchSize}); publishing high-priority messages to SQS as batches commit`,
      );
      const started = performance.now();
      // Published while batches commit, so partner-sync can start on the first batches instead of
      // waiting for the last one.
      const publisher = publishUntilFinished(db, queues);
      const processing = createProgress("process", { quiet: options.quiet });
      let report: RunReport;
      try {
        report = await new BulkProcessor(db)
          .run({
            batchSize: options.batchSize,
            thresholdCents: parseCents(options.threshold) as number,
            onProgress: (p) => {
              if (p.phase !== "processing") return;
              processing.update(p.done, p.total);
              publisher.wake();
            },
          })
          .finally(() => processing.stop());
      } catch (error) {
        await publisher.finish();
        throw error;
      }
      const delivery = await publisher.finish();
      return {
        generation,
        processing: report,
        delivery: { ...delivery, seconds: (performance.now() - started) / 1000 },
      };
    } finally {
      queues.close();
    }
  } finally {
    await db.close();
  }
}

/**
 * Flushes the outbox again and again (woken after each batch) until finish(), then once more
 * for the last batch. A flush is never aborted mid-send, which would send those messages again.
 */
function publishUntilFinished(db: RiskDatabase, queues: QueueConnection) {
  let finished = false;
  let wakeUp: () => void = () => {};
  const loop = async (): Promise<OutboxFlushReport> => {
    let published = 0;
    for (;;) {
      const last = finished;
      const flush = await flushOutbox(db, queues);
      published += flush.published;
      if (last || flush.error !== undefined) return { ...flush, published };
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        setTimeout(resolve, PUBLISH_POLL_MS);
      });
    }
  };
  const running = loop();
  return {
    wake: () => wakeUp(),
    finish: () => {
      finished = true;
      wakeUp();
      return running;
    },
  };
}
