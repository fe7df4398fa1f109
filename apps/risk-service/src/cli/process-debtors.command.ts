import { existsSync } from "node:fs";
import { parseCents } from "@smartrecover/contracts";
import { parseDatabaseUrl } from "@smartrecover/db-kit";
import { connectQueues, type QueueConnection, queueSettingsFromConfig } from "@smartrecover/queue";
import {
  createProgress,
  decimalOption,
  intOption,
  QUEUE_NOT_CONFIGURED,
  queueTargetConfigured,
  UsageError,
} from "@smartrecover/service-kit";
import type { Command } from "commander";
import { loadRiskServiceConfig } from "../config";
import { openRiskDatabase, type RiskDatabase } from "../db/risk-database";
import { OutboxRepository } from "../outbox/outbox.repository";
import { flushOutbox } from "../outbox/outbox-flush";
import { BulkProcessor, DEFAULT_BATCH_SIZE, DEFAULT_THRESHOLD, DEFAULT_TOP_K } from "../processing/bulk-processor";
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
  // A dry run writes nothing, not even migrations.
  const db = await openRiskDatabase(config.RISK_DATABASE_URL, { migrate: !options.dryRun });
  try {
    const processor = new BulkProcessor(db);
    if (options.dryRun) {
      const report = await processor.dryRun(options.topK);
      printDryRun(report, options.json);
      return;
    }
    const progress = createProgress("process-debtors", { quiet: false });
    const report = await processor.run({
      batchSize: options.batchSize,
      thresholdCents: parseCents(options.threshold) as number,
      onProgress: (p) => (p.phase === "processing" ? progress.update(p.done, p.total) : undefined),
    });
    progress.stop();
    // Publish this run's messages (and any an earlier run left); if SQS is down they stay pending for the relay.
    const delivery = queueTargetConfigured(config)
      ? await flushWith(db, connectQueues(queueSettingsFromConfig(config)))
      : { published: 0, pending: await countPendingOutbox(db), error: QUEUE_NOT_CONFIGURED };
    printRunReport(
      { ...report, delivery },
      { json: options.json, threshold: options.threshold, batchSize: options.batchSize },
    );
  } finally {
    await db.close();
  }
}

function flushWith(db: RiskDatabase, queues: QueueConnection) {
  return flushOutbox(db, queues).finally(() => queues.close());
}

function countPendingOutbox(db: RiskDatabase): Promise<number> {
  return new OutboxRepository(db).countPending();
}
