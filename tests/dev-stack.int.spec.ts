import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const REPO_ROOT = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "smartrecover-dev-"));
let dev: ChildProcess | undefined;

afterAll(() => {
  if (dev && dev.exitCode === null) dev.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

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

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error("timed out");
}

const answers = (url: string) => async () => (await fetch(url)).ok;

describe("pnpm dev", () => {
  it("when started, then SQS and both services answer, the printed admin token and curl line work; when sent SIGTERM, then all of them stop", async () => {
    const [sqsPort, riskPort, syncPort] = [await freePort(), await freePort(), await freePort()];
    dev = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", "dev", "--sqs-port", String(sqsPort)], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATA_DIR: dir,
        RISK_API_PORT: String(riskPort),
        PARTNER_SYNC_API_PORT: String(syncPort),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    dev.stderr?.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => dev?.once("exit", (code) => done(code)));

    await until(answers(`http://127.0.0.1:${riskPort}/readyz`), 45_000);
    await until(answers(`http://127.0.0.1:${syncPort}/readyz`), 45_000);
    expect(stderr).toContain(`SQS on http://127.0.0.1:${sqsPort}`);

    // The lines a newcomer copies: the token export and the curl line, run as printed.
    const token = /export TOKEN=(\S+)/.exec(stderr)?.[1] ?? "";
    const curlUrl = /curl -H "Authorization: Bearer \$TOKEN" '([^']+)'/.exec(stderr)?.[1] ?? "";
    expect(curlUrl).toBe(`http://127.0.0.1:${riskPort}/api/risk_service/debtors/?limit=5`);
    expect((await fetch(curlUrl, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(curlUrl)).status).toBe(401);
    // An admin token: partner-sync's admin-only route answers it too.
    const poison = `http://127.0.0.1:${syncPort}/api/partner_sync/poison-messages/`;
    expect((await fetch(poison, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    dev.kill("SIGTERM");
    expect(await exited, stderr).toBe(0);
    for (const port of [sqsPort, riskPort, syncPort]) {
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    }
  });
});
