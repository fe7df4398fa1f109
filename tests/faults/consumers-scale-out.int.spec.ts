import { randomUUID } from "node:crypto";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import { type LocalSqsServer, type QueueConnection, startLocalSqs } from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HighPriorityDebtorMessage } from "../../packages/contracts/src/index";
import { debtorMessages, faultRandom } from "./support/fault-plan";
import { CLI, lastJsonLine, ProcessGroup } from "./support/processes";
import { freshQueues, publishBodies, queueTotals, shuffled } from "./support/queues";
import { reconciledState, referenceState } from "./support/reconciled-state";
import { inboxCount, openSyncDatabase, poisonCount } from "./support/sync-side";

const DEBTORS = 500;
const RUNS = 3;
const DUPLICATES = 300;
const PROCESSES = 3;
const CONCURRENCY = 4;

interface ConsumeStats {
  received: number;
  applied: number;
  duplicate: number;
  stale: number;
  poison: number;
  retried: number;
  failed: number;
  deadLettered: number;
}

/**
 * Many partner-sync instances on one MariaDB database: three `consume` processes with four
 * receive loops each share one queue holding three runs' messages for the same debtors,
 * shuffled so older runs often arrive after newer ones (stale), with re-sent copies
 * (duplicates). The result must be what one consumer reaches, and lock conflicts between the
 * processes (deadlocks, lock-wait timeouts) must end in a retry, never in the DLQ.
 */
describe("partner-sync scaled out: 3 consumer processes × concurrency 4 on MariaDB", () => {
  const processes = new ProcessGroup();
  let syncDb: TestDatabase;
  let sync: ServiceDatabase;
  let sqs: LocalSqsServer;
  let queues: QueueConnection;
  let env: Record<string, string>;

  beforeAll(async () => {
    syncDb = createTestDatabase("mysql", "scale_out_sync");
    sync = await openSyncDatabase(syncDb.url);
    sqs = await startLocalSqs();
    const target = freshQueues(sqs.endpoint, "scale-out");
    queues = target.queues;
    env = {
      ...target.env,
      PARTNER_SYNC_DATABASE_URL: syncDb.url,
      CONSUMER_CONCURRENCY: String(CONCURRENCY),
      // A conflict's retry comes back after this, not after the 30 s default.
      SQS_VISIBILITY_TIMEOUT_SECONDS: "5",
    };
  });

  afterAll(async () => {
    await processes.stopAll();
    queues?.close();
    await sqs?.stop();
    await sync?.close();
    await syncDb?.drop();
  });

  it("when the processes drain a queue of interleaved runs, duplicates and stale messages, then the result equals a single consumer's", async () => {
    const random = faultRandom("consumers-scale-out");
    // The same debtors and amounts in every run (the partner's answer is the same); later runs are newer.
    const first = debtorMessages(DEBTORS, 70_000, random.next);
    const runs: HighPriorityDebtorMessage[][] = [first];
    for (let run = 1; run < RUNS; run += 1) {
      const runId = randomUUID();
      runs.push(
        first.map((m) => ({
          ...m,
          message_id: randomUUID(),
          run_id: runId,
          processed_at: new Date(Date.parse(m.processed_at) + run * 3_600_000).toISOString(),
        })),
      );
    }
    const distinct = runs.flat();
    const copies = Array.from({ length: DUPLICATES }, () => distinct[random.between(0, distinct.length - 1)]);
    const bodies = shuffled([...distinct, ...copies], random.next).map((m) => JSON.stringify(m));
    await publishBodies(queues, bodies);

    const consumers = Array.from({ length: PROCESSES }, (_, i) =>
      processes.start(`consume #${i + 1}`, CLI, ["consume", "--until-empty", "--json"], env, 240_000),
    );
    const exits = await Promise.all(consumers.map((c) => c.exited));
    for (const [i, exit] of exits.entries())
      expect(exit, consumers[i]?.output().slice(-2000)).toEqual({ code: 0, signal: null });
    const stats = consumers.map((c) => lastJsonLine<ConsumeStats>(c.stdout()));
    const total = (key: keyof ConsumeStats) => stats.reduce((sum, s) => sum + s[key], 0);

    // Every process took part, and every message was settled exactly once as applied or stale.
    for (const s of stats) expect(s.received).toBeGreaterThan(0);
    expect(total("applied") + total("stale")).toBe(distinct.length);
    expect(total("applied")).toBeGreaterThanOrEqual(DEBTORS);
    expect(total("duplicate")).toBeGreaterThanOrEqual(DUPLICATES);
    expect(await inboxCount(sync)).toBe(distinct.length);
    // Lock conflicts were retried, never dead-lettered.
    expect(total("poison")).toBe(0);
    expect(total("deadLettered")).toBe(0);
    expect(await poisonCount(sync)).toBe(0);
    expect(await queueTotals(queues)).toEqual({ main: 0, dlq: 0 });

    // The reference: one consumer applying the distinct messages oldest first.
    const ordered = [...distinct].sort((a, b) => a.processed_at.localeCompare(b.processed_at));
    const reference = await referenceState("mysql", ordered);
    const actual = await reconciledState(sync);
    // Which copy of a run's discrepancy came first depends on arrival order; what it says does not.
    const comparable = (state: typeof actual) => ({
      records: state.records,
      partnerRecords: state.partnerRecords,
      discrepancies: state.discrepancies.map(({ occurrences: _o, source_message_id: _s, ...rest }) => rest),
    });
    expect(comparable(actual)).toEqual(comparable(reference));
    expect(actual.records).toHaveLength(DEBTORS);
    const newest = new Set(runs[RUNS - 1]?.map((m) => m.message_id));
    expect(actual.records.every((r) => newest.has(String((r as { last_message_id: string }).last_message_id)))).toBe(
      true,
    );
    console.log(
      `[faults] scale-out on mysql: ${bodies.length} bodies, ${distinct.length} distinct; applied ${total("applied")}, stale ${total("stale")}, duplicate ${total("duplicate")}, retried ${total("retried")} (failed ${total("failed")}); per process received ${stats.map((s) => s.received).join("/")}; seed ${random.seed}`,
    );
  }, 300_000);
});
