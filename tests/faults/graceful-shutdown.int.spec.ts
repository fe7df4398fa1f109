import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit";
import { type LocalSqsServer, startLocalSqs } from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDelivery, reportScenario } from "./support/delivery-check";
import { debtorMessages, faultRandom } from "./support/fault-plan";
import {
  apiHeaders,
  exitWithin,
  lastJsonLine,
  PARTNER_SYNC_SERVER,
  ProcessGroup,
  RISK_SERVER,
  waitUntil,
} from "./support/processes";
import { freshQueues, publishBodies, queueTotals } from "./support/queues";
import {
  debtorIds,
  expectedHighPriority,
  freePort,
  generateDebtors,
  openRisk,
  outboxCounts,
  outboxMessages,
  processingRuns,
} from "./support/risk-side";
import { inboxCount, openSyncDatabase } from "./support/sync-side";

const MESSAGES = 3000;
const DEBTORS = 4000;

// SIGTERM, as docker compose stop or a rolling deploy sends it, while the service is busy.
describe.concurrent.each(TEST_DIALECTS)("graceful shutdown under load on %s", (dialect) => {
  const processes = new ProcessGroup();
  const cleanups: Array<() => Promise<void> | void> = [];
  let sqs: LocalSqsServer;

  beforeAll(async () => {
    sqs = await startLocalSqs();
  });

  afterAll(async () => {
    await processes.stopAll();
    for (const cleanup of cleanups.reverse()) await cleanup();
    await sqs?.stop();
  });

  /** A fresh database of this dialect, opened here, closed and dropped after the file. */
  async function database<T extends { close(): Promise<void> }>(label: string, open: (url: string) => Promise<T>) {
    const testDb: TestDatabase = createTestDatabase(dialect, label);
    cleanups.push(() => testDb.drop());
    const db = await open(testDb.url);
    cleanups.push(() => db.close());
    return { url: testDb.url, db };
  }

  function queuesFor(label: string) {
    const target = freshQueues(sqs.endpoint, label);
    cleanups.push(() => target.queues.close());
    return target;
  }

  it("when partner-sync gets SIGTERM mid-stream, then it exits 0, every committed message was deleted, and a restart applies the rest once", async () => {
    const random = faultRandom(`sigterm-partner-sync-${dialect}`);
    const { env: queueEnv, queues } = queuesFor("term-sync");
    const { url: syncUrl, db: sync } = await database("fault_term_sync", openSyncDatabase);
    const messages = debtorMessages(MESSAGES, 100_000, random.next);
    await publishBodies(
      queues,
      messages.map((message) => JSON.stringify(message)),
    );
    const env = {
      ...queueEnv,
      PARTNER_SYNC_DATABASE_URL: syncUrl,
      PARTNER_SYNC_API_PORT: String(await freePort()),
      SQS_VISIBILITY_TIMEOUT_SECONDS: "3",
      LOG_LEVEL: "info",
    };
    const inboxRows = () => inboxCount(sync);

    const server = processes.start("partner-sync server", PARTNER_SYNC_SERVER, [], env);
    const target = random.between(Math.floor(MESSAGES * 0.2), Math.floor(MESSAGES * 0.6));
    await waitUntil(`partner-sync to pass ${target} messages`, inboxRows, (rows) => rows >= target, {
      intervalMs: 10,
    });
    server.kill("SIGTERM");
    const exit = await exitWithin(server, 25_000);
    const committed = await inboxRows();
    const onQueue = await queueTotals(queues);

    expect(exit, server.output().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('"msg":"shutting down"');
    // Nothing committed is left on the queue, nothing uncommitted is gone from it.
    expect(onQueue).toEqual({ main: MESSAGES - committed, dlq: 0 });

    const restart = await processes.run("consume --until-empty", ["consume", "--until-empty", "--json"], env);
    expect(restart.code, restart.output).toBe(0);
    const stats = lastJsonLine<{ applied: number; duplicate: number }>(restart.stdout);
    const check = await checkDelivery(sync, messages);
    reportScenario("partner-sync SIGTERM mid-stream", dialect, check, {
      "committed before exit": committed,
      "applied after restart": stats.applied,
      "redeliveries after restart": stats.duplicate,
      seed: random.seed,
    });
    expect(stats).toMatchObject({ applied: MESSAGES - committed, duplicate: 0 });
    expect(check).toMatchObject({ applied: MESSAGES, lost: [], duplicates: [] });
  }, 180_000);

  it("when risk-service gets SIGTERM during a processing run, then the run stops at a batch boundary (STOPPED), the relay stops cleanly, and after a restart a new run and the relay deliver every message once", async () => {
    const random = faultRandom(`sigterm-risk-service-${dialect}`);
    const { env: queueEnv, queues } = queuesFor("term-risk");
    const { url: riskUrl, db: risk } = await database("fault_term_risk", openRisk);
    const { url: syncUrl, db: sync } = await database("fault_term_sync", openSyncDatabase);
    await generateDebtors(risk, DEBTORS, random.seed % 100_000);
    const expected = await expectedHighPriority(risk.db);
    expect(expected.length).toBeGreaterThan(0);
    const port = await freePort();
    const env = { ...queueEnv, RISK_DATABASE_URL: riskUrl, RISK_API_PORT: String(port), LOG_LEVEL: "info" };
    const base = `http://127.0.0.1:${port}/api/risk_service`;

    const server = processes.start("risk-service server", RISK_SERVER, [], env);
    await waitUntil(
      "risk-service to be ready",
      () => fetchStatus(`http://127.0.0.1:${port}/readyz`),
      (s) => s === 200,
      {
        intervalMs: 100,
      },
    );
    const started = await fetch(`${base}/process-runs/`, {
      method: "POST",
      headers: await apiHeaders("operator"),
      body: JSON.stringify({ batch_size: 10 }),
    });
    expect(started.status).toBe(202);
    const target = random.between(Math.floor(DEBTORS * 0.1), Math.floor(DEBTORS * 0.6));
    const atSigterm = await waitUntil(
      `the run to pass ${target} debtors`,
      () => processingRuns(risk.db),
      (runs) => (runs[0]?.debtorsProcessed ?? 0) >= target,
      { intervalMs: 10 },
    );
    server.kill("SIGTERM");
    const exit = await exitWithin(server, 20_000);
    expect(exit, server.output().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('"msg":"shutting down"');
    const [run] = await processingRuns(risk.db);
    expect(run?.status).toBe("STOPPED");
    expect(run?.debtorsProcessed).toBeGreaterThanOrEqual(target);
    expect(run?.debtorsProcessed).toBeLessThan(DEBTORS);
    const afterExit = await outboxCounts(risk.db);

    // Back up: the relay publishes whatever the first process left pending.
    const again = processes.start("risk-service server (restarted)", RISK_SERVER, [], env);
    await waitUntil(
      "risk-service to be ready again",
      () => fetchStatus(`http://127.0.0.1:${port}/readyz`),
      (s) => s === 200,
      {
        intervalMs: 100,
      },
    );
    // The stopped run's work stays; a new run (the lease was given back) covers every debtor.
    const rerun = await fetch(`${base}/process-runs/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ batch_size: 500 }),
    });
    expect(rerun.status).toBe(202);
    const { run_id: rerunId } = (await rerun.json()) as { run_id: string };
    await waitUntil(
      "the new run to complete",
      () => processingRuns(risk.db),
      (runs) => runs.some((r) => r.id === rerunId && r.status === "COMPLETED"),
      { intervalMs: 100 },
    );
    await waitUntil(
      "the outbox to drain",
      () => outboxCounts(risk.db),
      (counts) => counts.pending === 0,
      {
        intervalMs: 100,
      },
    );
    again.kill("SIGTERM");
    expect(await exitWithin(again, 20_000)).toEqual({ code: 0, signal: null });

    const consumed = await processes.run("consume --until-empty", ["consume", "--until-empty", "--json"], {
      ...queueEnv,
      PARTNER_SYNC_DATABASE_URL: syncUrl,
    });
    expect(consumed.code, consumed.output).toBe(0);
    const sent = await outboxMessages(risk.db);
    const check = await checkDelivery(sync, sent);
    reportScenario("risk-service SIGTERM mid-run", dialect, check, {
      "debtors processed at SIGTERM": atSigterm[0]?.debtorsProcessed ?? 0,
      "published before exit": afterExit.published,
      "pending after exit": afterExit.pending,
      seed: random.seed,
    });
    // The new run queued each high-priority debtor of the table exactly once; the stopped run only such debtors.
    expect(debtorIds(sent.filter((m) => m.run_id === rerunId))).toEqual(expected);
    expect(new Set(debtorIds(sent))).toEqual(new Set(expected));
    expect(check.lost).toEqual([]);
    expect(check.duplicates).toEqual([]);
    expect(await queueTotals(queues)).toEqual({ main: 0, dlq: 0 });
  }, 180_000);
});

async function fetchStatus(url: string): Promise<number> {
  try {
    return (await fetch(url)).status;
  } catch {
    return 0;
  }
}
