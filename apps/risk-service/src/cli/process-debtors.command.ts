import { existsSync } from "node:fs";
import { parseCents } from "@smartrecover/contracts";
import { parseDatabaseUrl } from "@smartrecover/db-kit/url";
import { createProgress, decimalOption, intOption, QUEUE_NOT_CONFIGURED, UsageError } from "@smartrecover/service-kit";
import type { Command } from "commander";
import { loadRiskServiceConfig } from "../config";
import type { OutboxFlushReport } from "../outbox/outbox-publisher";
import type { FinishedRun } from "../processing/bulk-processor";
import { DEFAULT_BATCH_SIZE, DEFAULT_THRESHOLD, DEFAULT_TOP_K } from "../processing/processing-defaults";
import type { RiskService } from "../service";
import { printDryRun, printRunReport } from "./process-debtors.output";

interface ProcessDebtorsOptions {
  batchSize: number;
  threshold: string;
  dryRun: boolean;
  topK: number;
  json: boolean;
}

export function registerProcessDebtorsCommand(program: Command): void {
  program
    .command("process-debtors")
    .description("Re-score debtors highest risk score × debt first, in batches, and queue the high-priority ones")
    .option("--batch-size <n>", "debtors per batch", intOption("--batch-size", 1, 100_000), DEFAULT_BATCH_SIZE)
    .option(
      "--threshold <amount>",
      "high priority means priority strictly above this",
      decimalOption("--threshold"),
      DEFAULT_THRESHOLD,
    )
    .option("--dry-run", "show the top accounts and the heap size; write nothing", false)
    .option("--top-k <n>", "accounts shown by --dry-run", intOption("--top-k", 1, 10_000), DEFAULT_TOP_K)
    .option("--json", "print one JSON object instead of a report", false)
    .action((options: ProcessDebtorsOptions) => processDebtors(options));
}

async function processDebtors(options: ProcessDebtorsOptions): Promise<void> {
  const config = loadRiskServiceConfig();
  const target = parseDatabaseUrl(config.RISK_DATABASE_URL);
  if (options.dryRun && target.dialect === "sqlite" && !existsSync(target.filePath)) {
    throw new UsageError(`no database at ${target.filePath}: generate debtors first (pnpm cli generate-test-debtors)`);
  }
  // Loaded here, not at start-up: `--help` and the other commands need none of the database code.
  const { openRiskService } = await import("../service");
  // A dry run writes nothing, not even migrations, and publishes nothing.
  const service = await openRiskService(config, { migrate: !options.dryRun, queue: !options.dryRun });
  try {
    if (options.dryRun) {
      printDryRun(await service.processor.dryRun(options.topK), options.json);
      return;
    }
    const progress = createProgress("process-debtors", { quiet: false });
    // SIGTERM (a CronJob's pod evicted, Ctrl-C) stops the run at the next batch boundary: every
    // committed batch stays, the run is recorded STOPPED, its messages are still delivered.
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
    let report: FinishedRun;
    try {
      report = await service.processor.run({
        batchSize: options.batchSize,
        thresholdCents: parseCents(options.threshold) as number,
        onProgress: (p) => (p.phase === "processing" ? progress.update(p.done, p.total) : undefined),
        signal: stop.signal,
      });
    } finally {
      progress.stop();
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    }
    printRunReport(
      { ...report, delivery: await deliver(service) },
      { json: options.json, threshold: options.threshold, batchSize: options.batchSize },
    );
    if (report.status === "STOPPED") throw new RunStoppedError(report.run_id, report.summary.batches_processed);
  } finally {
    await service.close();
  }
}

/** The run was stopped by a signal after committing some batches; the CLI exits 143. */
class RunStoppedError extends Error {
  override name = "RunStoppedError";
  constructor(runId: string, batches: number) {
    super(`processing run ${runId} stopped by a shutdown signal after ${batches} batches; recorded STOPPED`);
  }
}

/** Publishes this run's messages (and any an earlier run left); if SQS is down they stay pending for the relay. */
async function deliver(service: RiskService): Promise<OutboxFlushReport> {
  if (service.queue) return service.queue.publisher.flush();
  return { published: 0, pending: await service.repositories.outbox.countPending(), error: QUEUE_NOT_CONFIGURED };
}
