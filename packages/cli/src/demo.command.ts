import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { consumeUntilDrained } from "@smartrecover/partner-sync/demo";
import { startLocalSqs } from "@smartrecover/queue";
import { runRiskStages } from "@smartrecover/risk-service/demo";
import { choiceOption, commonEnv, decimalOption, intOption, parseConfig } from "@smartrecover/service-kit";
import type { Command } from "commander";
import { z } from "zod";
import { buildDemoSummary, printDemoSummary } from "./demo.output";

interface DemoOptions {
  count: number;
  seed: number;
  distribution: "balanced" | "high-risk" | "low-risk";
  threshold: string;
  tolerance: string;
  batchSize: number;
  json: boolean;
}

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("Run the whole pipeline locally: generate → process → publish → reconcile, then summarise")
    .option("--count <n>", "debtors to generate", intOption("--count", 1, 1_000_000), 30_000)
    .option("--seed <n>", "generator seed", intOption("--seed", 0, 0xffff_ffff), 42)
    .option(
      "--distribution <name>",
      "balanced, high-risk or low-risk",
      choiceOption("--distribution", ["balanced", "high-risk", "low-risk"] as const),
      "balanced",
    )
    .option(
      "--threshold <amount>",
      "high priority means priority strictly above this",
      decimalOption("--threshold"),
      "500000",
    )
    .option("--tolerance <percent>", "reconciliation balance tolerance in percent", decimalOption("--tolerance"), "1.0")
    .option("--batch-size <n>", "debtors per processing batch", intOption("--batch-size", 1, 100_000), 1000)
    .option("--json", "print the summary as one JSON object", false)
    .action((options: DemoOptions) => runDemo(options));
}

async function runDemo(options: DemoOptions): Promise<void> {
  const { DATA_DIR } = parseConfig(z.object({ DATA_DIR: commonEnv.DATA_DIR }));
  const dataDir = resolve(DATA_DIR, "demo");
  // The demo owns this folder: every run starts from empty databases and an empty queue.
  rmSync(dataDir, { recursive: true, force: true });
  const announce = (stage: string) => process.stderr.write(`▸ ${stage}\n`);
  announce(`starting a local SQS server (fauxqs) on 127.0.0.1; data in ${dataDir}`);
  const sqs = await startLocalSqs();
  try {
    // Configured only through environment variables, exactly as the services are.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      RISK_DATABASE_URL: `file:${resolve(dataDir, "risk-service.db")}`,
      PARTNER_SYNC_DATABASE_URL: `file:${resolve(dataDir, "partner-sync.db")}`,
      SQS_ENDPOINT: sqs.endpoint,
      RECONCILIATION_TOLERANCE_PERCENT: options.tolerance,
    };
    const started = performance.now();
    const risk = await runRiskStages(
      env,
      {
        count: options.count,
        seed: options.seed,
        distribution: options.distribution,
        threshold: options.threshold,
        batchSize: options.batchSize,
        quiet: options.json,
      },
      announce,
    );
    announce("reconciling with the partner's books until the queue is drained");
    const sync = await consumeUntilDrained(env, { quiet: options.json, expected: risk.delivery.published });
    const summary = buildDemoSummary({
      options,
      dataDir,
      risk,
      sync,
      totalSeconds: (performance.now() - started) / 1000,
    });
    printDemoSummary(summary, options.json);
  } finally {
    await sqs.stop();
  }
}
