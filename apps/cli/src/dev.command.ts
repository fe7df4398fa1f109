import { resolve } from "node:path";
import { commonEnv, intOption, parseConfig, port } from "@smartrecover/service-kit";
import type { Command } from "commander";
import { z } from "zod";
import { serveStack } from "./local-stack";
import { newcomerToken } from "./newcomer-token";

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
  const { startLocalSqs } = await import("@smartrecover/queue");
  const sqs = await startLocalSqs({ port: sqsPort });
  try {
    const env = { ...process.env, DATA_DIR: dataDir, SQS_ENDPOINT: sqs.endpoint };
    // Issued before the services start, so the key file exists when they look for it.
    const admin = await newcomerToken(env, "admin");
    const risk = `http://127.0.0.1:${config.RISK_API_PORT}`;
    process.stderr.write(
      [
        `dev: SQS on ${sqs.endpoint} (in memory: messages not yet consumed are gone when dev stops); databases in ${dataDir}`,
        ...(admin
          ? [
              `dev: an admin token for ${admin.subject}, valid 8 h (the /docs pages take it under Authorize):`,
              `dev:   export TOKEN=${admin.token}`,
              `dev:   curl -H "Authorization: Bearer $TOKEN" '${risk}/api/risk_service/debtors/?limit=5'`,
              `dev: other roles: DATA_DIR=${dataDir} ./run --silent cli auth issue-token --subject <you> --role viewer|reviewer|operator|admin`,
            ]
          : ["dev: AUTH_MODE=oidc: use a token from your identity provider (Authorization: Bearer <token>)"]),
        `dev: in another terminal, point the CLI at this stack:  export SQS_ENDPOINT=${sqs.endpoint}`,
        "dev: then e.g.  ./run cli generate-test-debtors --count 5000 --seed 42 && ./run cli process-debtors",
        "",
      ].join("\n"),
    );
    process.exitCode = await serveStack("dev", env, {
      risk: config.RISK_API_PORT,
      sync: config.PARTNER_SYNC_API_PORT,
      console: config.CONSOLE_PORT,
    });
  } finally {
    await sqs.stop();
  }
}
