import { resolve } from "node:path";
import { startLocalSqs } from "@smartrecover/queue";
import { commonEnv, intOption, parseConfig, port } from "@smartrecover/service-kit";
import type { Command } from "commander";
import { z } from "zod";
import { serveStack } from "./local-stack";

const DEFAULT_SQS_PORT = 9324;

export function registerDevCommand(program: Command): void {
  program
    .command("dev")
    .description("Run the local stack until Ctrl-C: a local SQS server, both services and the console")
    .option("--sqs-port <n>", "port of the local SQS server", intOption("--sqs-port", 1, 65_535), DEFAULT_SQS_PORT)
    .action((options: { sqsPort: number }) => runDev(options.sqsPort));
}

async function runDev(sqsPort: number): Promise<void> {
  const config = parseConfig(
    z.object({
      DATA_DIR: commonEnv.DATA_DIR,
      RISK_API_PORT: port(3000),
      PARTNER_SYNC_API_PORT: port(3001),
      CONSOLE_PORT: port(3002),
    }),
  );
  const dataDir = resolve(config.DATA_DIR);
  const sqs = await startLocalSqs({ port: sqsPort });
  process.stderr.write(
    [
      `dev: SQS on ${sqs.endpoint} (in memory: messages not yet consumed are gone when dev stops); databases in ${dataDir}`,
      `dev: in another terminal, point the CLI at this stack:  export SQS_ENDPOINT=${sqs.endpoint}`,
      "dev: then e.g.  pnpm cli generate-test-debtors --count 5000 --seed 42 && pnpm cli process-debtors",
      "",
    ].join("\n"),
  );
  try {
    process.exitCode = await serveStack(
      "dev",
      { ...process.env, DATA_DIR: dataDir, SQS_ENDPOINT: sqs.endpoint },
      { risk: config.RISK_API_PORT, sync: config.PARTNER_SYNC_API_PORT, console: config.CONSOLE_PORT },
    );
  } finally {
    await sqs.stop();
  }
}
