import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { type LocalSqsServer, type QueueConnection, startLocalSqs } from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDelivery, reportScenario } from "./support/delivery-check";
import { debtorMessages, faultRandom } from "./support/fault-plan";
import { CLI, exitWithin, lastJsonLine, ProcessGroup, waitUntil } from "./support/processes";
import { freshQueues, publishBodies, queueTotals, shuffled } from "./support/queues";
import { reconciledState, referenceState } from "./support/reconciled-state";
import { inboxCount, openSyncDatabase } from "./support/sync-side";

const DEBTORS = 2400;
const RESENT = 600;
const KILLS = 3;

// `pnpm cli consume` as a real process, killed with SIGKILL at random points while it works (a
// receive, an apply, a commit or a delete may be under way), then restarted. Some messages
// are published twice on purpose, as an at-least-once producer would.
describe.concurrent.each(TEST_DIALECTS)("consumer killed with SIGKILL on %s", (dialect) => {
  const processes = new ProcessGroup();
  let syncDb: TestDatabase;
  let sync: ServiceDatabase;
  let sqs: LocalSqsServer;
  let queues: QueueConnection;
  let env: Record<string, string>;

  beforeAll(async () => {
    syncDb = createTestDatabase(dialect, "fault_consumer_kill");
    sync = await openSyncDatabase(syncDb.url);
    sqs = await startLocalSqs();
    const target = freshQueues(sqs.endpoint, "kill");
    queues = target.queues;
    env = {
      ...target.env,
      PARTNER_SYNC_DATABASE_URL: syncDb.url,
      CONSUMER_CONCURRENCY: "4",
      // Messages a killed consumer held come back after 2 s instead of 30.
      SQS_VISIBILITY_TIMEOUT_SECONDS: "2",
    };
  });

  afterAll(async () => {
    await processes.stopAll();
    queues?.close();
    await sqs?.stop();
    await sync?.close();
    await syncDb?.drop();
  });

  const inboxRows = () => inboxCount(sync);

  it("when the consumer is killed with SIGKILL at random points and restarted, then every message is applied exactly once", async () => {
    const random = faultRandom(`consumer-sigkill-${dialect}`);
    const messages = debtorMessages(DEBTORS, 1, random.next);
    const resent = shuffled(messages, random.next).slice(0, RESENT);
    await publishBodies(
      queues,
      shuffled([...messages, ...resent], random.next).map((message) => JSON.stringify(message)),
    );

    const killedAt: number[] = [];
    for (let kill = 1; kill <= KILLS; kill += 1) {
      const before = await inboxRows();
      const target = before + random.between(100, Math.floor((DEBTORS - before) * 0.35));
      const consumer = processes.start(`consume #${kill}`, CLI, ["consume"], env);
      await waitUntil(`consume #${kill} to pass ${target} messages`, inboxRows, (rows) => rows >= target, {
        intervalMs: 10,
      });
      consumer.kill("SIGKILL");
      const exit = await exitWithin(consumer, 10_000);
      expect(exit.signal, consumer.output()).toBe("SIGKILL");
      killedAt.push(await inboxRows());
    }

    const final = await processes.run("consume --until-empty", ["consume", "--until-empty", "--json"], env);
    expect(final.code, final.output).toBe(0);
    const stats = lastJsonLine<{ received: number; applied: number; duplicate: number }>(final.stdout);
    const check = await checkDelivery(sync, messages);
    reportScenario(`consumer SIGKILL x${KILLS}`, dialect, check, {
      "inbox rows at each kill": killedAt.join("/"),
      "re-sent copies": RESENT,
      "redeliveries absorbed after restart": stats.duplicate,
      seed: random.seed,
    });

    expect(check.lost).toEqual([]);
    expect(check.duplicates).toEqual([]);
    expect(check.applied).toBe(DEBTORS);
    expect(await reconciledState(sync)).toEqual(await referenceState(dialect, messages));
    expect(await queueTotals(queues)).toEqual({ main: 0, dlq: 0 });
  }, 240_000);
});
