import { setTimeout as sleep } from "node:timers/promises";
import { readDate, type ServiceDatabase, type StoredDate } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import type { QueueConnection } from "@smartrecover/queue";
import { type RestartableSqs, startRestartableSqs } from "@smartrecover/queue/testing";
import type { RiskService } from "@smartrecover/risk-service/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDelivery, reportScenario } from "./support/delivery-check";
import { faultRandom } from "./support/fault-plan";
import { CLI, exitWithin, lastJsonLine, ProcessGroup, waitUntil } from "./support/processes";
import { freshQueues, queueTotals } from "./support/queues";
import {
  debtorIds,
  expectedHighPriority,
  generateDebtors,
  openRisk,
  outboxCounts,
  outboxMessages,
  processingRuns,
} from "./support/risk-side";
import { lastMessages, openSyncDatabase } from "./support/sync-side";

const DEBTORS = 3000;

// `pnpm cli process-debtors` killed with SIGKILL twice: once while batches commit (outbox rows
// exist, nothing is published yet: the flush runs at the end), once while its flush publishes
// (SQS slowed down so the flush takes a while). The third run completes and its flush publishes
// whatever the killed runs left. Then partner-sync consumes everything.
describe.concurrent.each(TEST_DIALECTS)("process-debtors killed with SIGKILL on %s", (dialect) => {
  const processes = new ProcessGroup();
  let riskDb: TestDatabase;
  let syncDb: TestDatabase;
  let risk: RiskService;
  let sync: ServiceDatabase;
  let sqs: RestartableSqs;
  let queues: QueueConnection;
  let env: Record<string, string>;

  beforeAll(async () => {
    riskDb = createTestDatabase(dialect, "fault_process_kill_risk");
    syncDb = createTestDatabase(dialect, "fault_process_kill_sync");
    risk = await openRisk(riskDb.url);
    sync = await openSyncDatabase(syncDb.url);
    sqs = await startRestartableSqs();
    const target = freshQueues(sqs.endpoint, "process-kill");
    queues = target.queues;
    // A short lease: the run after a killed one waits for it to expire (the killed run is then ABANDONED).
    env = {
      ...target.env,
      RISK_DATABASE_URL: riskDb.url,
      PARTNER_SYNC_DATABASE_URL: syncDb.url,
      PROCESSING_LEASE_SECONDS: "2",
    };
  });

  afterAll(async () => {
    await processes.stopAll();
    queues?.close();
    await sqs?.stop();
    await risk?.close();
    await sync?.close();
    await riskDb?.drop();
    await syncDb?.drop();
  });

  const processDebtors = (label: string) =>
    processes.start(label, CLI, ["process-debtors", "--batch-size", "10", "--json"], env);

  it("when process-debtors is killed between batch commits and their publish, then a rerun delivers every high-priority debtor exactly once", async () => {
    const random = faultRandom(`process-debtors-sigkill-${dialect}`);
    await generateDebtors(risk, DEBTORS, random.seed % 100_000);
    // What the debtors deserve, from the table itself: the runs must queue exactly these.
    const expected = await expectedHighPriority(risk.db);
    expect(expected.length).toBeGreaterThan(0);

    // Kill 1: while batches commit. The flush has not started, so committed rows wait unpublished.
    const first = processDebtors("process-debtors #1");
    const target = random.between(Math.floor(DEBTORS * 0.1), Math.floor(DEBTORS * 0.7));
    await waitUntil(
      `run #1 to pass ${target} debtors`,
      () => processingRuns(risk.db),
      (runs) => (runs[0]?.debtorsProcessed ?? 0) >= target,
      { intervalMs: 10 },
    );
    first.kill("SIGKILL");
    expect((await exitWithin(first, 10_000)).signal, first.output()).toBe("SIGKILL");
    const afterFirst = await outboxCounts(risk.db);
    expect(afterFirst.rows).toBeGreaterThan(0);
    expect(afterFirst.published).toBe(0);

    // Run #1's lease outlives it by up to 2 s; until then another run is refused (exit 3).
    await waitUntil(
      "run #1's lease to expire",
      () => risk.db.query<{ expires_at: StoredDate | null }>("SELECT expires_at FROM processing_leases"),
      (rows) => rows.every((row) => row.expires_at === null || (readDate(row.expires_at) as Date) < new Date()),
      { intervalMs: 50 },
    );

    // Kill 2: during the flush, after SQS has accepted some rows (some may be marked, some not).
    sqs.setLatency(20);
    const second = processDebtors("process-debtors #2");
    await waitUntil(
      "run #2's flush to mark rows published",
      () => outboxCounts(risk.db),
      (c) => c.published > 0,
      {
        intervalMs: 10,
      },
    );
    await sleep(random.between(0, 300));
    second.kill("SIGKILL");
    expect((await exitWithin(second, 10_000)).signal, second.output()).toBe("SIGKILL");
    const afterSecond = await outboxCounts(risk.db);
    expect(afterSecond.pending).toBeGreaterThan(0);
    sqs.setLatency(0);

    const third = await processes.run("process-debtors #3", ["process-debtors", "--json"], env);
    expect(third.code, third.output).toBe(0);
    const report = lastJsonLine<{ run_id: string; delivery: { published: number; pending: number } }>(third.stdout);
    expect(report.delivery.pending).toBe(0);

    const consumed = await processes.run("consume --until-empty", ["consume", "--until-empty", "--json"], env);
    expect(consumed.code, consumed.output).toBe(0);
    const stats = lastJsonLine<{ received: number; applied: number; stale: number; duplicate: number }>(
      consumed.stdout,
    );

    const sent = await outboxMessages(risk.db);
    const runs = await processingRuns(risk.db);
    const finalRun = runs.find((run) => run.id === report.run_id);
    const finalHighPriority = sent.filter((message) => message.run_id === report.run_id);
    const check = await checkDelivery(sync, sent);
    reportScenario("process-debtors SIGKILL x2 + rerun", dialect, check, {
      "outbox rows at kill 1": afterFirst.rows,
      "published/pending at kill 2": `${afterSecond.published}/${afterSecond.pending}`,
      "SQS copies received": stats.received,
      "redeliveries absorbed": stats.duplicate,
      "stale (older run) messages": stats.stale,
      seed: random.seed,
    });

    expect(check.lost).toEqual([]);
    expect(check.duplicates).toEqual([]);
    expect(check.applied).toBe(sent.length);
    // Run 1 died while processing (run 2 found it ABANDONED); run 2 had finished processing and died in its flush.
    expect(runs.map((run) => run.status)).toEqual(["ABANDONED", "COMPLETED", "COMPLETED"]);
    // The final run queued each high-priority debtor once, and every killed run queued only such debtors.
    expect(debtorIds(finalHighPriority)).toEqual(expected);
    expect(finalRun?.highPriorityCount).toBe(expected.length);
    expect(new Set(debtorIds(sent))).toEqual(new Set(expected));
    const records = await lastMessages(sync);
    expect(records).toEqual(
      finalHighPriority
        .map((message) => ({ debtorId: message.debtor_id, lastMessageId: message.message_id }))
        .sort((a, b) => a.debtorId - b.debtorId),
    );
    expect(await queueTotals(queues)).toEqual({ main: 0, dlq: 0 });
  }, 240_000);
});
