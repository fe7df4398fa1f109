import { createLogger, createProgress, intOption } from "@smartrecover/service-kit";
import type { Command } from "commander";
import { loadPartnerSyncConfig } from "../config";
import { type ConsumerSummary, consumerSummary } from "../consumer/consumer-summary";
import type { PartnerSyncConsumer } from "../consumer/partner-sync-consumer";

interface ConsumeOptions {
  untilEmpty: boolean;
  concurrency?: number;
  batchSize?: number;
  json: boolean;
}

export function registerConsumeCommand(program: Command): void {
  program
    .command("consume")
    .description("Reconcile high-priority debtor messages from SQS until stopped (Ctrl-C / SIGTERM)")
    .option("--until-empty", "stop once the queue is drained (nothing visible, in flight or delayed)", false)
    .option(
      "--concurrency <n>",
      "receive loops in parallel (default CONSUMER_CONCURRENCY)",
      intOption("--concurrency", 1, 64),
    )
    .option("--batch-size <n>", "messages per receive (default CONSUMER_BATCH_SIZE)", intOption("--batch-size", 1, 10))
    .option("--json", "print the summary as one JSON object", false)
    .action((options: ConsumeOptions) => consume(options));
}

async function consume(options: ConsumeOptions): Promise<void> {
  const loaded = loadPartnerSyncConfig();
  const config = {
    ...loaded,
    CONSUMER_CONCURRENCY: options.concurrency ?? loaded.CONSUMER_CONCURRENCY,
    CONSUMER_BATCH_SIZE: options.batchSize ?? loaded.CONSUMER_BATCH_SIZE,
  };
  const logger = createLogger({ level: config.LOG_LEVEL, name: "partner-sync-consumer", destination: "stderr" });
  // --until-empty polls briefly, so stopping can wait for the last polls instead of aborting them.
  const tuning = options.untilEmpty ? { waitTimeSeconds: 1 } : {};
  const { openPartnerSync } = await import("../service");
  const sync = await openPartnerSync(config, { logger, consumer: { tuning } });
  const pipeline = sync.consumer as PartnerSyncConsumer;
  const started = performance.now();
  let stopRequested!: () => void;
  const stopSignal = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  const onSignal = () => {
    // A second signal means "now": in-flight work is safe to abandon (no delete before commit).
    process.once("SIGINT", () => process.exit(130));
    stopRequested();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const progress = createProgress("consume", { quiet: options.json });
  const ticker = setInterval(() => progress.update(pipeline.counters().messages_received_total), 1000);
  try {
    await pipeline.consumer.start();
    await Promise.race([stopSignal, options.untilEmpty ? pipeline.consumer.waitUntilDrained() : new Promise(() => {})]);
  } finally {
    clearInterval(ticker);
    await sync.close({ waitForPolls: options.untilEmpty });
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    progress.stop();
  }
  printSummary(consumerSummary(pipeline.counters()), (performance.now() - started) / 1000, options.json);
}

function printSummary(stats: ConsumerSummary, seconds: number, json: boolean) {
  const summary = { ...stats, elapsed_seconds: Math.round(seconds * 100) / 100 };
  if (json) {
    console.log(JSON.stringify(summary));
    return;
  }
  const reconciled = stats.applied + stats.duplicate + stats.stale;
  console.log(`Consumed ${stats.received} messages in ${summary.elapsed_seconds} s`);
  console.log(
    `  applied ${stats.applied}, duplicate ${stats.duplicate}, stale ${stats.stale} (${reconciled} deleted after commit)`,
  );
  console.log(`  poison ${stats.poison} (dead-lettered), left for redelivery ${stats.retried}`);
}
