import { parseCents } from "@smartrecover/contracts";
import { loadRiskServiceConfig } from "@smartrecover/risk-service/config";
import { openRiskService, type RiskService } from "@smartrecover/risk-service/service";
import { createProgress } from "@smartrecover/service-kit";

// What the stages report, as risk-service's composition root returns it.
type GenerationOptions = Parameters<RiskService["generator"]["generate"]>[0];
type GenerationReport = Awaited<ReturnType<RiskService["generator"]["generate"]>>;
type RunReport = Awaited<ReturnType<RiskService["processor"]["run"]>>;
type OutboxFlushReport = Awaited<ReturnType<NonNullable<RiskService["queue"]>["publisher"]["finish"]>>;

/** Between flushes while processing; each committed batch also wakes the publisher. */
const PUBLISH_POLL_MS = 100;

export interface RiskStageOptions {
  count: number;
  seed: number;
  distribution: GenerationOptions["distribution"];
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
  const service = await openRiskService(loadRiskServiceConfig(env), {
    queue: { publisher: { intervalMs: PUBLISH_POLL_MS } },
  });
  try {
    const publisher = service.queue?.publisher;
    if (!publisher) throw new Error("the demo needs a queue: set SQS_ENDPOINT");
    announce(
      `generating ${options.count.toLocaleString("en-US")} debtors (seed ${options.seed}, ${options.distribution})`,
    );
    const generating = createProgress("generate", { quiet: options.quiet });
    const generation = await service.generator.generate({
      count: options.count,
      seed: options.seed,
      distribution: options.distribution,
      clear: true,
      scores: true,
      onProgress: (done, total) => generating.update(done, total),
    });
    generating.stop();

    await options.beforePublish?.();
    announce(
      `processing, highest risk score × debt first (batches of ${options.batchSize}); publishing high-priority messages to SQS as batches commit`,
    );
    const started = performance.now();
    // Published while batches commit, so partner-sync can start on the first batches instead of
    // waiting for the last one.
    publisher.start();
    const processing = createProgress("process", { quiet: options.quiet });
    let report: RunReport;
    try {
      report = await service.processor
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
    // Also publishes the last batch's messages; a flush is never cut short, which would send rows again.
    const delivery = await publisher.finish();
    return { generation, processing: report, delivery: { ...delivery, seconds: (performance.now() - started) / 1000 } };
  } finally {
    await service.close();
  }
}
