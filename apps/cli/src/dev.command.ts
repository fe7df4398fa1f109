import { type ChildProcess, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalSqs } from "@smartrecover/queue";
import { commonEnv, intOption, parseConfig, port } from "@smartrecover/service-kit";
import type { Command } from "commander";
import { z } from "zod";
import { newcomerToken } from "./newcomer-token";

const DEFAULT_SQS_PORT = 9324;
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
// The same entry points as `pnpm start:*`, started with node directly: a package manager and a
// shell in between would not pass SIGTERM on, leaving orphans behind.
const SERVICES = ["apps/risk-service/src/server.ts", "apps/partner-sync/src/server.ts"] as const;

export function registerDevCommand(program: Command): void {
  program
    .command("dev")
    .description("Run the local stack until Ctrl-C: a local SQS server and both services")
    .option("--sqs-port <n>", "port of the local SQS server", intOption("--sqs-port", 1, 65_535), DEFAULT_SQS_PORT)
    .action((options: { sqsPort: number }) => runDev(options.sqsPort));
}

async function runDev(sqsPort: number): Promise<void> {
  const config = parseConfig(
    z.object({ DATA_DIR: commonEnv.DATA_DIR, RISK_API_PORT: port(3000), PARTNER_SYNC_API_PORT: port(3001) }),
  );
  const dataDir = resolve(config.DATA_DIR);
  const sqs = await startLocalSqs({ port: sqsPort });
  const env = { ...process.env, DATA_DIR: dataDir, SQS_ENDPOINT: sqs.endpoint };
  // Issued before the services start, so the key file exists when they look for it.
  const admin = await newcomerToken(env, "admin").catch(async (error: unknown) => {
    await sqs.stop();
    throw error;
  });
  const risk = `http://127.0.0.1:${config.RISK_API_PORT}`;
  process.stderr.write(
    [
      `dev: SQS on ${sqs.endpoint} (in memory: messages not yet consumed are gone when dev stops); databases in ${dataDir}`,
      `dev: risk-service ${risk}/docs, partner-sync http://127.0.0.1:${config.PARTNER_SYNC_API_PORT}/docs`,
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
  // Separate processes, configured through the environment exactly as in production.
  const children = SERVICES.map((script) => startService(script, env));
  const exited = children.map((child) => new Promise<void>((done) => child.once("exit", () => done())));
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.stderr.write("dev: stopping both services, then the SQS server\n");
      for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.all(exited);
      await sqs.stop();
    })();
    return stopping;
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  // A service that dies on its own takes the stack down with it: a half-running stack misleads.
  await Promise.race(exited);
  await stop();
  const failed = children.filter((child) => child.exitCode !== 0);
  for (const child of failed) {
    process.stderr.write(`dev: ${child.spawnargs.at(-1)} exited with ${child.exitCode ?? child.signalCode}\n`);
  }
  if (failed.length > 0) process.exitCode = 1;
}

function startService(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("error", (error) => process.stderr.write(`dev: could not start ${entry}: ${error.message}\n`));
  return child;
}
