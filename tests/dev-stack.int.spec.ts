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
  it("when started, then SQS, both services and the console answer, the printed demo account signs in and the printed admin token and curl line work; when sent SIGTERM, then all of them stop", async () => {
    const [sqsPort, riskPort, syncPort, consolePort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    dev = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", "dev", "--sqs-port", String(sqsPort)], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATA_DIR: dir,
        RISK_API_PORT: String(riskPort),
        PARTNER_SYNC_API_PORT: String(syncPort),
        CONSOLE_PORT: String(consolePort),
        CONSOLE_DATABASE_URL: "",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    dev.stderr?.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => dev?.once("exit", (code) => done(code)));

    // The first start on a fresh clone also builds the console's SPA.
    await until(answers(`http://127.0.0.1:${riskPort}/readyz`), 150_000);
    await until(answers(`http://127.0.0.1:${syncPort}/readyz`), 45_000);
    await until(answers(`http://127.0.0.1:${consolePort}/readyz`), 45_000);
    expect(stderr).toContain(`SQS on http://127.0.0.1:${sqsPort}`);
    expect(stderr).toContain(`dev: console http://127.0.0.1:${consolePort}`);
    const account = /console account: (\S+) \/ (\S+) \(admin;/.exec(stderr);
    expect(account, stderr).not.toBeNull();
    const signIn = (password: string) =>
      fetch(`http://127.0.0.1:${consolePort}/console/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: `http://127.0.0.1:${consolePort}` },
        body: JSON.stringify({ username: account?.[1], password }),
      });
    expect((await signIn(account?.[2] ?? "")).status).toBe(200);
    expect((await signIn("not-the-password")).status).toBe(401);
    // The SPA is served (built once when missing).
    expect(await (await fetch(`http://127.0.0.1:${consolePort}/`)).text()).toContain("<div id=");

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
    for (const port of [sqsPort, riskPort, syncPort, consolePort]) {
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    }
  }, 240_000);
});
