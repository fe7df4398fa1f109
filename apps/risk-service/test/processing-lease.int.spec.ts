import { type ServiceDatabase, TEST_DIALECTS } from "@smartrecover/db-kit";
import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import { connectQueues, ensureQueues, type LocalSqsServer, startLocalSqs } from "@smartrecover/queue";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openRiskDatabase } from "../src/db/risk-database";
import { runCli, startCli } from "./cli-process";
import { receiveAll } from "./outbox-fixtures";
import { rowCount } from "./service-fixtures";

/**
 * One processing run at a time across processes, with real CLI processes on a real database:
 * the second run is refused with exit 3, a killed owner's run is ABANDONED once its lease
 * expires, and nothing its committed batches queued is lost or sent twice.
 */
const DEBTORS = 3000;
const NAMES = { SQS_QUEUE_NAME: "lease-main", SQS_DLQ_NAME: "lease-dlq" };

interface RunRow {
  id: string;
  status: string;
  owner: string | null;
  batches_processed: number;
  messages_queued: number;
  failure_reason: string | null;
}

describe.each(TEST_DIALECTS)("processing lease on %s", (dialect) => {
  let testDb: TestDatabase;
  let db: ServiceDatabase;
  let sqs: LocalSqsServer;
  let env: Record<string, string>;

  const runs = async (): Promise<RunRow[]> =>
    (
      await db.query<RunRow>(
        "SELECT id, status, owner, batches_processed, messages_queued, failure_reason FROM processing_runs ORDER BY started_at",
      )
    ).map((r) => ({
      ...r,
      batches_processed: Number(r.batches_processed),
      messages_queued: Number(r.messages_queued),
    }));

  /** Polls the database until the condition holds: an event to wait for, not a length of time. */
  async function until<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
    for (let i = 0; i < 1200; i++) {
      const value = await probe();
      if (value) return value;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  const liveRun = (minBatches: number) =>
    until("a RUNNING run with committed batches", async () =>
      (await runs()).find((r) => r.status === "RUNNING" && r.batches_processed >= minBatches),
    );

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "lease");
    sqs = await startLocalSqs();
    env = { RISK_DATABASE_URL: testDb.url, SQS_ENDPOINT: sqs.endpoint, ...NAMES };
    const generated = await runCli(
      ["generate-test-debtors", "--count", String(DEBTORS), "--seed", "5", "--no-scores"],
      {
        ...env,
        SQS_ENDPOINT: "",
      },
    );
    expect(generated.code, generated.stderr).toBe(0);
    db = await openRiskDatabase(testDb.url, { migrate: false });
  });

  afterEach(async () => {
    await db.execute("DELETE FROM processing_errors");
    await db.execute("DELETE FROM processing_runs");
    await db.execute("DELETE FROM outbox_messages");
    await db.execute("DELETE FROM risk_scores");
    await db.execute("UPDATE processing_leases SET run_id = NULL, owner = NULL, started_at = NULL, expires_at = NULL");
  });

  afterAll(async () => {
    await db?.close();
    await sqs?.stop();
    await testDb?.drop();
  });

  it("when a second process-debtors starts while one is live, then it exits 3 with one line naming the live run", async () => {
    const first = startCli(["process-debtors", "--batch-size", "5", "--threshold", "0", "--json"], {
      ...env,
      SQS_ENDPOINT: "",
      PROCESSING_LEASE_SECONDS: "120",
    });
    const live = await liveRun(1);
    // Frozen, the first run holds its lease without finishing: the overlap does not depend on timing.
    first.child.kill("SIGSTOP");
    try {
      const second = await runCli(["process-debtors", "--threshold", "0"], { ...env, SQS_ENDPOINT: "" });
      expect(second.code).toBe(3);
      const lines = second.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(live.id);
      expect(lines[0]).toContain(`owner ${live.owner}`);
      expect(lines[0]).toMatch(/started_at \d{4}-\d\d-\d\dT/);
      expect(live.owner).toMatch(/:\d+$/);
    } catch (error) {
      first.child.kill("SIGKILL");
      await first.result;
      throw error;
    } finally {
      first.child.kill("SIGCONT");
    }
    const done = await first.result;
    expect(done.code, done.stderr).toBe(0);
    expect((await runs()).map((r) => r.status)).toEqual(["COMPLETED"]);
    expect(await rowCount(db, "risk_scores")).toBe(DEBTORS);
  });

  it("when the owner is killed -9, then after its lease expires the next run proceeds, the killed one is ABANDONED, and every queued message arrives once", async () => {
    const queues = connectQueues({
      region: "us-east-1",
      endpoint: sqs.endpoint,
      queueName: NAMES.SQS_QUEUE_NAME,
      dlqName: NAMES.SQS_DLQ_NAME,
    });
    try {
      await ensureQueues(queues.sqs, { queueName: NAMES.SQS_QUEUE_NAME, dlqName: NAMES.SQS_DLQ_NAME });
      const leaseEnv = { ...env, PROCESSING_LEASE_SECONDS: "2" };
      // The killed run publishes nothing itself (no queue): its committed rows wait in the outbox.
      const doomed = startCli(["process-debtors", "--batch-size", "5", "--threshold", "0"], {
        ...leaseEnv,
        SQS_ENDPOINT: "",
      });
      const killed = await liveRun(3);
      doomed.child.kill("SIGKILL");
      await doomed.result;

      let next = await runCli(["process-debtors", "--batch-size", "500", "--threshold", "0", "--json"], leaseEnv);
      let refusals = 0;
      while (next.code === 3 && refusals < 30) {
        // Refused while the dead owner's lease is still live: exactly what the lease is for.
        expect(next.stderr).toContain(killed.id);
        refusals += 1;
        next = await runCli(["process-debtors", "--batch-size", "500", "--threshold", "0", "--json"], leaseEnv);
      }
      expect(next.code, next.stderr).toBe(0);

      const [abandoned, completed, ...others] = await runs();
      expect(others).toEqual([]);
      expect(abandoned).toMatchObject({ id: killed.id, status: "ABANDONED" });
      expect(abandoned?.failure_reason).toContain(killed.owner ?? "?");
      expect(completed?.status).toBe("COMPLETED");
      // Committed batches are whole: the killed run's outbox rows match its counters.
      const killedRows = await rowCount(db, "outbox_messages", "run_id = ?", [killed.id]);
      expect(killedRows).toBe(abandoned?.messages_queued);
      expect(killedRows).toBeGreaterThanOrEqual(killed.messages_queued);
      expect(await rowCount(db, "outbox_messages", "run_id = ?", [completed?.id])).toBe(DEBTORS);
      expect(await rowCount(db, "risk_scores")).toBe(DEBTORS);

      // Downstream: the killed run's messages were published by the next run's delivery, each once.
      const report = JSON.parse(next.stdout);
      expect(report.delivery).toMatchObject({ published: DEBTORS + killedRows, pending: 0 });
      expect(await rowCount(db, "outbox_messages", "published_at IS NULL")).toBe(0);
      const { queueUrl } = await queues.urls();
      const received = await receiveAll(queues.sqs, queueUrl);
      const ids = received.map((m) => JSON.parse(m.Body ?? "{}").message_id as string);
      expect(ids).toHaveLength(DEBTORS + killedRows);
      expect(new Set(ids).size).toBe(ids.length);
      const outboxIds = await db.query<{ message_id: string }>("SELECT message_id FROM outbox_messages");
      expect(new Set(ids)).toEqual(new Set(outboxIds.map((r) => r.message_id)));
    } finally {
      queues.close();
    }
  });

  it("when SIGTERM reaches a run, then it stops at a batch boundary, is recorded STOPPED and its messages wait in the outbox", async () => {
    const run = startCli(["process-debtors", "--batch-size", "5", "--threshold", "0", "--json"], {
      ...env,
      SQS_ENDPOINT: "",
    });
    await liveRun(2);
    run.child.kill("SIGTERM");
    const result = await run.result;
    expect(result.code, result.stderr).toBe(143);
    // Progress lines aside (stderr is not a TTY here), one line says what happened.
    const said = result.stderr
      .trim()
      .split("\n")
      .filter((line) => !line.startsWith("process-debtors: "));
    expect(said).toHaveLength(1);
    expect(result.stderr).toMatch(/stopped by a shutdown signal after \d+ batches; recorded STOPPED/);
    const [stopped, ...others] = await runs();
    expect(others).toEqual([]);
    expect(stopped?.status).toBe("STOPPED");
    expect(stopped?.batches_processed).toBeLessThan(DEBTORS / 5);
    // Batches are whole: scores and outbox rows are exactly the committed batches' debtors.
    expect(await rowCount(db, "risk_scores")).toBe(Number(stopped?.batches_processed) * 5);
    expect(await rowCount(db, "outbox_messages")).toBe(stopped?.messages_queued);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "STOPPED" });
    // The lease was given back: the next run starts at once.
    const next = await runCli(["process-debtors", "--batch-size", "1000", "--threshold", "0"], {
      ...env,
      SQS_ENDPOINT: "",
    });
    expect(next.code, next.stderr).toBe(0);
  });
});
