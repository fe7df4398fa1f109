import { rmSync } from "node:fs";
import { resolve } from "node:path";
import {
  choiceOption,
  commonEnv,
  createProgress,
  decimalOption,
  intOption,
  parseConfig,
  port,
} from "@smartrecover/service-kit";
import type { Command } from "commander";
import { z } from "zod";
import { buildDemoSummary, printDemoSummary } from "./demo.output";
import type { ReconcileThread } from "./demo-threads";
import { serveStack } from "./local-stack";

interface DemoOptions {
  count: number;
  seed: number;
  distribution: "balanced" | "high-risk" | "low-risk";
  threshold: string;
  tolerance: string;
  batchSize: number;
  json: boolean;
  serve: boolean;
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
    .option("--serve", "then keep both services and the console running on the demo's data until Ctrl-C", false)
    .action((options: DemoOptions) => runDemo(options));
}

async function runDemo(options: DemoOptions): Promise<void> {
  const { DATA_DIR, ...ports } = parseConfig(
    z.object({
      DATA_DIR: commonEnv.DATA_DIR,
      RISK_API_PORT: port(3000),
      PARTNER_SYNC_API_PORT: port(3001),
      CONSOLE_PORT: port(3002),
    }),
  );
  const dataDir = resolve(DATA_DIR, "demo");
  // The demo owns this folder: every run starts from empty databases and an empty queue.
  rmSync(dataDir, { recursive: true, force: true });
  const [{ runRiskStages }, { startReconcileThread, startSqsThread }] = await Promise.all([
    import("./demo-risk-stages"),
    import("./demo-threads"),
  ]);
  const announce = (stage: string) => process.stderr.write(`▸ ${stage}\n`);
  announce(`starting a local SQS server (fauxqs) on 127.0.0.1; data in ${dataDir}`);
  const sqs = await startSqsThread();
  let reconciler: ReconcileThread | undefined;
  try {
    // Configured only through environment variables, exactly as the services are.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      RISK_DATABASE_URL: `file:${resolve(dataDir, "risk-service.db")}`,
      PARTNER_SYNC_DATABASE_URL: `file:${resolve(dataDir, "partner-sync.db")}`,
      SQS_ENDPOINT: sqs.endpoint,
      RECONCILIATION_TOLERANCE_PERCENT: options.tolerance,
      // More receive loops let SQLite group-commit more messages per transaction (docs/benchmarks.md).
      CONSUMER_CONCURRENCY: process.env.CONSUMER_CONCURRENCY ?? "8",
    };
    const started = performance.now();
    // partner-sync runs beside risk-service, in its own thread, as the two services would: it
    // reconciles each message as soon as it is published instead of after the last one.
    const consumer = startReconcileThread(env);
    reconciler = consumer;
    const risk = await runRiskStages(
      env,
      {
        count: options.count,
        seed: options.seed,
        distribution: options.distribution,
        threshold: options.threshold,
        batchSize: options.batchSize,
        quiet: options.json,
        beforePublish: () => consumer.ready,
      },
      announce,
    );
    const publishStarted = performance.now() - risk.delivery.seconds * 1000;
    announce("reconciling with the partner's books (since processing began) until the queue is drained");
    const progress = createProgress("reconcile", { quiet: options.json });
    const expected = risk.delivery.published;
    const ticker = setInterval(() => progress.update(consumer.received(), expected), 250);
    const drained = await consumer.drain().finally(() => {
      clearInterval(ticker);
      progress.update(consumer.received(), expected);
      progress.stop();
    });
    const finished = performance.now();
    const summary = buildDemoSummary({
      options,
      dataDir,
      risk,
      // Reconciling runs from the start of processing (when publishing begins) to the drained queue.
      sync: { ...drained, seconds: (finished - publishStarted) / 1000 },
      totalSeconds: (finished - started) / 1000,
    });
    printDemoSummary(summary, options.json);
    if (options.serve) {
      // The stack takes over the demo's databases and queue: the demo's own consumer stops first.
      await consumer.stop();
      announce("serving the demo's data until Ctrl-C");
      process.exitCode = await serveStack("demo", env, {
        risk: ports.RISK_API_PORT,
        sync: ports.PARTNER_SYNC_API_PORT,
        console: ports.CONSOLE_PORT,
      });
    }
  } finally {
    await reconciler?.stop();
    await sqs.stop();
  }
}
