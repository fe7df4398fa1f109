import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import {
  createMysqlOutageUser,
  createTestDatabase,
  holdSqliteWriteLock,
  type MysqlOutage,
  TEST_DIALECTS,
  type TestDatabase,
} from "@smartrecover/db-kit/testing";
import { type LocalSqsServer, type QueueConnection, startLocalSqs } from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDelivery, reportScenario } from "./support/delivery-check";
import { debtorMessages, faultRandom } from "./support/fault-plan";
import { CLI, exitWithin, lastJsonLine, ProcessGroup, waitUntil } from "./support/processes";
import { freshQueues, publishBodies, queueTotals } from "./support/queues";
import { reconciledState, referenceState } from "./support/reconciled-state";
import { inboxCount, openSyncDatabase } from "./support/sync-side";

const MESSAGES = 2000;
/** Longer than the MySQL pool's acquire timeout and SQLite's busy timeout (10 s each), so writes fail. */
const OUTAGE_MS = 12_000;

// The consumer's database goes away under it: on MariaDB its account loses its privileges and its
// connections are killed (reconnecting fails: access denied); on SQLite another connection holds
// the write lock (as a backup or a stuck writer would). Then the database comes back.
describe.concurrent.each(TEST_DIALECTS)("database unavailable under the consumer on %s", (dialect) => {
  const processes = new ProcessGroup();
  let syncDb: TestDatabase;
  let sync: ServiceDatabase;
  let mysqlOutage: MysqlOutage | undefined;
  let sqs: LocalSqsServer;
  let queues: QueueConnection;
  let env: Record<string, string>;

  beforeAll(async () => {
    syncDb = createTestDatabase(dialect, "fault_db_outage");
    sync = await openSyncDatabase(syncDb.url);
    if (dialect === "mysql") mysqlOutage = await createMysqlOutageUser(syncDb.url);
    sqs = await startLocalSqs();
    const target = freshQueues(sqs.endpoint, "db-outage");
    queues = target.queues;
    env = {
      ...target.env,
      PARTNER_SYNC_DATABASE_URL: mysqlOutage?.url ?? syncDb.url,
      SQS_VISIBILITY_TIMEOUT_SECONDS: "5",
    };
  });

  afterAll(async () => {
    await processes.stopAll();
    queues?.close();
    await sqs?.stop();
    await sync?.close();
    await mysqlOutage?.dispose();
    await syncDb?.drop();
  });

  /** Makes the database unavailable to the consumer; resolves with the function that brings it back. */
  async function cutDatabase(): Promise<() => Promise<void>> {
    if (mysqlOutage) {
      const outage = mysqlOutage;
      await outage.cut();
      return () => outage.restore();
    }
    const lock = holdSqliteWriteLock(syncDb.url);
    return async () => lock.release();
  }

  it("when the database is unavailable for longer than the driver's timeouts, then the consumer waits, and once it is back every message is applied exactly once", async () => {
    const random = faultRandom(`database-outage-${dialect}`);
    const messages = debtorMessages(MESSAGES, 1, random.next);
    await publishBodies(
      queues,
      messages.map((message) => JSON.stringify(message)),
    );
    const inboxRows = () => inboxCount(sync);

    const consumer = processes.start("consume --until-empty", CLI, ["consume", "--until-empty", "--json"], env);
    const target = random.between(Math.floor(MESSAGES * 0.2), Math.floor(MESSAGES * 0.5));
    await waitUntil(`the consumer to pass ${target} messages`, inboxRows, (rows) => rows >= target, { intervalMs: 10 });
    const restore = await cutDatabase();
    let bringBack: Promise<void> | undefined;
    try {
      // A transaction already under way may still finish; after that, nothing commits.
      await sleep(1000);
      const early = await inboxRows();
      await sleep(OUTAGE_MS - 1000);
      const late = await inboxRows();
      expect(late).toBe(early);
      expect(consumer.running).toBe(true);
      bringBack = restore();
      await bringBack;
      const exit = await exitWithin(consumer, 90_000);
      expect(exit.code, consumer.output().slice(-3000)).toBe(0);
      const stats = lastJsonLine<{ applied: number; duplicate: number; retried: number; failed: number }>(
        consumer.stdout(),
      );
      const check = await checkDelivery(sync, messages);
      reportScenario("database unavailable under the consumer", dialect, check, {
        "outage ms": OUTAGE_MS,
        "applied before the outage": early,
        "left for redelivery": stats.retried,
        "redeliveries absorbed": stats.duplicate,
        seed: random.seed,
      });
      expect(check).toMatchObject({ applied: MESSAGES, lost: [], duplicates: [] });
      expect(await reconciledState(sync)).toEqual(await referenceState(dialect, messages));
      expect(await queueTotals(queues)).toEqual({ main: 0, dlq: 0 });
    } finally {
      await (bringBack ?? restore());
    }
  }, 240_000);
});
