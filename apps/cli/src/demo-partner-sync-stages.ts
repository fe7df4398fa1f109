import { type ConsumerSummary, consumerSummary } from "@smartrecover/partner-sync/cli";
import { loadPartnerSyncConfig } from "@smartrecover/partner-sync/config";
import { openPartnerSync, type PartnerSync } from "@smartrecover/partner-sync/service";
import { createLogger } from "@smartrecover/service-kit";

type PartnerSyncConsumer = NonNullable<PartnerSync["consumer"]>;
type ReconciliationSummary = Awaited<ReturnType<PartnerSync["services"]["reports"]["summary"]>>;

export interface ConsumeStageResult {
  stats: ConsumerSummary;
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
  // The demo prints its own progress and summary; the service's log lines would only get in the way.
  const logger = createLogger({ level: "silent", name: "partner-sync" });
  const sync = await openPartnerSync(loadPartnerSyncConfig(env), { logger, consumer: true });
  const pipeline = sync.consumer as PartnerSyncConsumer;
  const started = performance.now();
  try {
    await pipeline.consumer.start();
  } catch (error) {
    await sync.close();
    throw error;
  }
  return {
    received: () => pipeline.counters().messages_received_total,
    async drain() {
      try {
        await pipeline.consumer.waitUntilDrained(DRAIN_CHECK_MS);
        await pipeline.stop();
        const seconds = (performance.now() - started) / 1000;
        const summary = await sync.services.reports.summary();
        return { stats: consumerSummary(pipeline.counters()), seconds, summary };
      } finally {
        await sync.close();
      }
    },
    stop: () => sync.close(),
  };
}
