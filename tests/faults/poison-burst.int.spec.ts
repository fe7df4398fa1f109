import type { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { type LocalSqsServer, type QueueConnection, startLocalSqs } from "@smartrecover/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDelivery, reportScenario } from "./support/delivery-check";
import { debtorMessages, faultRandom } from "./support/fault-plan";
import { lastJsonLine, ProcessGroup } from "./support/processes";
import { deadLetters, freshQueues, publishBodies, queueTotals, shuffled } from "./support/queues";
import { reconciledState, referenceState } from "./support/reconciled-state";
import { openSyncDatabase, poisonRecords } from "./support/sync-side";

const GOOD = 1500;
const POISON = 300;

/** Kinds of message that can never be applied; the index keeps every body distinct. */
function poisonBody(index: number, template: HighPriorityDebtorMessage): string {
  const valid = { ...template, message_id: `poison-${index}`, debtor_id: 900_000 + index };
  switch (index % 10) {
    case 0:
      return `{ not json ${index}`;
    case 1:
      return JSON.stringify([index, "an array"]);
    case 2:
      return JSON.stringify({ ...valid, schema_version: 2 });
    case 3: {
      const { debtor_id: _, ...missing } = valid;
      return JSON.stringify(missing);
    }
    case 4:
      return JSON.stringify({ ...valid, debt_amount: 1234.5 });
    case 5:
      return JSON.stringify({ ...valid, colour: "red" });
    case 6:
      return JSON.stringify({ ...valid, message_id: "x".repeat(65 + index) });
    case 7:
      return JSON.stringify({ ...valid, risk_level: "'; DROP TABLE inbox_messages; --" });
    case 8:
      if (index % 30 === 8) return JSON.stringify(`just a string ${index}`);
      if (index % 30 === 18) return JSON.stringify({ index, payment_status: "Zoë \\ \" ' €" });
      // A debtor id no debtors table can hold (INT): schema-valid once, yet never applicable.
      return JSON.stringify({ ...valid, debtor_id: 2_147_483_648 + index });
    default:
      return JSON.stringify({ ...valid, processed_at: `yesterday-${index}` });
  }
}

// A burst of poison messages among good ones: each poison one is recorded and dead-lettered at
// once (no retries), the good ones around them are reconciled exactly as without the poison.
describe.concurrent.each(TEST_DIALECTS)("poison burst on %s", (dialect) => {
  const processes = new ProcessGroup();
  let syncDb: TestDatabase;
  let sync: ServiceDatabase;
  let sqs: LocalSqsServer;
  let queues: QueueConnection;
  let env: Record<string, string>;

  beforeAll(async () => {
    syncDb = createTestDatabase(dialect, "fault_poison");
    sync = await openSyncDatabase(syncDb.url);
    sqs = await startLocalSqs();
    const target = freshQueues(sqs.endpoint, "poison");
    queues = target.queues;
    env = { ...target.env, PARTNER_SYNC_DATABASE_URL: syncDb.url };
  });

  afterAll(async () => {
    await processes.stopAll();
    queues?.close();
    await sqs?.stop();
    await sync?.close();
    await syncDb?.drop();
  });

  it("when a burst of poison messages arrives among good ones, then all of them reach the DLQ once and the good ones are unaffected", async () => {
    const random = faultRandom(`poison-burst-${dialect}`);
    const good = debtorMessages(GOOD, 1, random.next);
    const poison = Array.from({ length: POISON }, (_, i) => poisonBody(i, good[0] as HighPriorityDebtorMessage));
    expect(new Set(poison).size).toBe(POISON);
    await publishBodies(queues, shuffled([...good.map((message) => JSON.stringify(message)), ...poison], random.next));

    const run = await processes.run("consume --until-empty", ["consume", "--until-empty", "--json"], env);
    expect(run.code, run.output).toBe(0);
    const stats = lastJsonLine<Record<string, number>>(run.stdout);
    const letters = await deadLetters(queues, POISON + 50);
    const recorded = await poisonRecords(sync);
    const check = await checkDelivery(sync, good);
    reportScenario("poison burst", dialect, check, {
      poison: POISON,
      "dead-lettered": letters.length,
      "poison recorded": recorded.length,
      retried: stats.retried ?? -1,
      seed: random.seed,
    });

    expect(stats).toMatchObject({ poison: POISON, deadLettered: POISON, retried: 0, applied: GOOD, failed: 0 });
    expect(letters.map((letter) => letter.body).sort()).toEqual([...poison].sort());
    expect(letters.every((letter) => (letter.reason ?? "").length > 0)).toBe(true);
    expect(recorded.map((row) => row.body).sort()).toEqual([...poison].sort());
    expect(check).toMatchObject({ applied: GOOD, lost: [], duplicates: [] });
    expect(await reconciledState(sync)).toEqual(await referenceState(dialect, good));
    expect(await queueTotals(queues)).toEqual({ main: 0, dlq: POISON });
  }, 180_000);
});
