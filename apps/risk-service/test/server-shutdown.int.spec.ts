import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRiskServiceConfig } from "../src/config";
import { openRiskDatabase } from "../src/db/risk-database";
import { openRiskService } from "../src/service";
import { API, authorization } from "./api-fixtures";
import { rowCount, TEST_AUTH_ENV } from "./service-fixtures";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const DEBTORS = 3000;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** server.ts as its own process, as `pnpm start:risk-service` runs it; its JSON log lines are collected. */
async function startServer(databaseUrl: string) {
  const port = await freePort();
  const child: ChildProcess = spawn("node", ["--import", "tsx", "apps/risk-service/src/server.ts"], {
    cwd: REPO,
    env: {
      ...process.env,
      ...TEST_AUTH_ENV,
      RISK_DATABASE_URL: databaseUrl,
      RISK_API_PORT: String(port),
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean)));
  child.stderr?.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, base, lines, exited };
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`server did not start:\n${lines.join("\n")}`);
}

describe.each(TEST_DIALECTS)("server.ts on %s", (dialect) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "server_shutdown");
    const service = await openRiskService(loadRiskServiceConfig({ RISK_DATABASE_URL: testDb.url }));
    await service.generator.generate({
      count: DEBTORS,
      distribution: "balanced",
      seed: 7,
      clear: false,
      scores: false,
    });
    await service.close();
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("when SIGTERM arrives during a processing run, then the run stops at a batch boundary, is recorded STOPPED before the database closes, and the process exits 0", async () => {
    const server = await startServer(testDb.url);
    const started = await fetch(`${server.base}${API}/process-runs/`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await authorization("operator")) },
      // Batches of 25: a run of 120 commits is still going when SIGTERM follows the 202, and the batch it
      // is in ends well inside the 10 s grace period even on a loaded MariaDB.
      body: JSON.stringify({ batch_size: 25 }),
    });
    expect(started.status).toBe(202);
    const { run_id: runId, status } = (await started.json()) as { run_id: string; status: string };
    expect(status).toBe("RUNNING");
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);

    const messages = server.lines.map((line) => (line.startsWith("{") ? JSON.parse(line).msg : line));
    const shutdown = messages.indexOf("shutting down");
    expect(shutdown).toBeGreaterThanOrEqual(0);
    expect(messages.indexOf("processing run ended")).toBeGreaterThan(shutdown);

    const db = await openRiskDatabase(testDb.url, { migrate: false });
    const [run] = await db.query<{ status: string; debtors_processed: number; batches_processed: number }>(
      "SELECT status, debtors_processed, batches_processed FROM processing_runs WHERE id = ?",
      [runId],
    );
    const scored = await rowCount(db, "risk_scores");
    await db.close();
    expect(run?.status).toBe("STOPPED");
    // Whole batches only: what was committed is exactly what the run counted.
    expect(Number(run?.debtors_processed)).toBeLessThan(DEBTORS);
    expect(Number(run?.debtors_processed)).toBe(Number(run?.batches_processed) * 25);
    expect(scored).toBe(Number(run?.debtors_processed));
  });
});
