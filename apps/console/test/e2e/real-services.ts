import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type LocalSqsServer, startLocalSqs } from "@smartrecover/queue";

const REPO_ROOT = resolve(import.meta.dirname, "../../../..");

export interface RunningServices {
  riskUrl: string;
  syncUrl: string;
  /** Both services' DATA_DIR (databases and the signing key file). */
  dataDir: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: REPO_ROOT, env, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", fail);
    child.on("exit", (code) =>
      code === 0 ? done(output) : fail(new Error(`${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

async function until(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited early:\n${output()}`);
    if (
      await fetch(url).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`${url} never became ready:\n${output()}`);
}

/**
 * The real pipeline, then the real services on its data: `pnpm cli demo` generates, scores,
 * publishes and reconciles `count` debtors into SQLite files; then risk-service and partner-sync
 * start on those files (each its own process, configured only by environment, on fauxqs), with
 * authentication as configured by default: tokens signed with the key file in their DATA_DIR.
 */
export async function startRealServices(count = 600): Promise<RunningServices> {
  const root = mkdtempSync(join(tmpdir(), "console-real-"));
  const base: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: root, LOG_LEVEL: "warn" };
  // Nothing from this shell decides where data, queue or keys are.
  for (const name of [
    "RISK_DATABASE_URL",
    "PARTNER_SYNC_DATABASE_URL",
    "SQS_ENDPOINT",
    "AUTH_MODE",
    "AUTH_SIGNING_KEY",
  ]) {
    delete base[name];
  }
  await run(["apps/cli/src/main.ts", "demo", "--count", String(count), "--seed", "42", "--json"], base);

  const dataDir = join(root, "demo");
  const sqs: LocalSqsServer = await startLocalSqs();
  const [riskPort, syncPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...base,
    DATA_DIR: dataDir,
    RISK_DATABASE_URL: `file:${join(dataDir, "risk-service.db")}`,
    PARTNER_SYNC_DATABASE_URL: `file:${join(dataDir, "partner-sync.db")}`,
    SQS_ENDPOINT: sqs.endpoint,
    RISK_API_PORT: String(riskPort),
    PARTNER_SYNC_API_PORT: String(syncPort),
  };
  const children = ["apps/risk-service/src/server.ts", "apps/partner-sync/src/server.ts"].map((entry) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry], { cwd: REPO_ROOT, env, stdio: "pipe" });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    return { child, output: () => output };
  });
  const stop = async () => {
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      ),
    );
    await sqs.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const riskUrl = `http://127.0.0.1:${riskPort}`;
    const syncUrl = `http://127.0.0.1:${syncPort}`;
    const [risk, sync] = children as [(typeof children)[0], (typeof children)[0]];
    await until(`${riskUrl}/readyz`, risk.child, risk.output);
    await until(`${syncUrl}/readyz`, sync.child, sync.output);
    return { riskUrl, syncUrl, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
