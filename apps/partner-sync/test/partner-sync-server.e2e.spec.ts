import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import { connectQueues, type LocalSqsServer, publishMessages, startLocalSqs } from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARTNER_SYNC_MIGRATIONS_ROOT } from "../src/service";
import { makeMessage } from "./support/fixtures";
import { poisonRows } from "./support/tables";
import { authorization, TEST_AUTH_ENV } from "./support/test-service";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

// `pnpm start:partner-sync` as a separate process: it consumes real SQS (fauxqs) and serves the API.
describe("partner-sync server process", () => {
  let sqs: LocalSqsServer;
  let testDb: TestDatabase;
  let child: ChildProcess;
  let output = "";
  let base: string;
  const queueName = `e2e-${Date.now()}`;

  beforeAll(async () => {
    sqs = await startLocalSqs();
    testDb = createTestDatabase("sqlite", "server");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ["--import", "tsx", "apps/partner-sync/src/server.ts"], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...TEST_AUTH_ENV,
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
        PARTNER_SYNC_API_PORT: String(port),
        PARTNER_SYNC_DATABASE_URL: testDb.url,
        SQS_ENDPOINT: sqs.endpoint,
        SQS_QUEUE_NAME: queueName,
        SQS_DLQ_NAME: `${queueName}-dlq`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    await until(async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), 30_000);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await sqs?.stop();
    await testDb?.drop();
  });

  it("when messages are published, then they are reconciled, a malformed one is recorded, and SIGTERM stops it cleanly", async () => {
    const queues = connectQueues({
      region: "us-east-1",
      endpoint: sqs.endpoint,
      queueName,
      dlqName: `${queueName}-dlq`,
    });
    const { queueUrl } = await queues.urls();
    const messages = Array.from({ length: 30 }, (_, i) => makeMessage({ debtor_id: 1 + i }));
    const outcome = await publishMessages(queues.sqs, queueUrl, [
      ...messages.map((m) => ({ key: m.message_id, body: JSON.stringify(m) })),
      { key: "bad", body: "{ not json" },
    ]);
    expect(outcome.published).toHaveLength(31);

    const summary = await until(async () => {
      const body = (await (
        await fetch(`${base}/api/partner_sync/summary/`, { headers: await authorization("viewer") })
      ).json()) as {
        reconciliation: { total: number; matched: number; discrepancy: number };
      };
      return body.reconciliation.total === 30 ? body : undefined;
    }, 30_000);
    expect(summary.reconciliation.matched + summary.reconciliation.discrepancy).toBe(30);
    const list = (await (
      await fetch(`${base}/api/partner_sync/discrepancies/?page_size=1`, { headers: await authorization("viewer") })
    ).json()) as {
      total: number;
    };
    expect(list.total).toBeGreaterThan(0);

    const db = await openServiceDatabase({
      url: testDb.url,
      migrationsRoot: PARTNER_SYNC_MIGRATIONS_ROOT,
      migrate: false,
    });
    try {
      const poison = await until(async () => {
        const rows = await poisonRows(db);
        return rows.length > 0 ? rows : undefined;
      }, 10_000);
      expect(poison.map((row) => row.body)).toEqual(["{ not json"]);
    } finally {
      await db.close();
    }
    queues.close();

    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain("shutting down");
  });
});
