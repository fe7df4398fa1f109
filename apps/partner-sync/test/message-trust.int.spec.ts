import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import {
  type LocalSqsServer,
  listDeadLetters,
  publishMessages,
  type QueueConnection,
  startLocalSqs,
} from "@smartrecover/queue";
import { MESSAGE_SIGNATURE_ATTRIBUTE, signMessageBody } from "@smartrecover/service-kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPartnerSyncConsumer } from "../src/consumer/partner-sync-consumer";
import type { PartnerSync } from "../src/service";
import { consumeUntilDrained, freshQueueSettings, openTestQueues, testConfig } from "./support/consumer-fixtures";
import { makeMessage, snapshotTables } from "./support/fixtures";
import { inboxRows, poisonRows } from "./support/tables";
import { openTestService } from "./support/test-service";

const FAST = { waitTimeSeconds: 1, retryDelaySeconds: () => 0 };
const KEY = "the queue signing key of this test, 32+ bytes";
const OTHER_KEY = "somebody else's key that is also 32+ bytes";
// The consumer's "now" is fixed, so "in the future" means the same on every machine.
const NOW = new Date("2026-03-01T12:00:00.000Z");
const at = (secondsFromNow: number) => new Date(NOW.getTime() + secondsFromNow * 1000).toISOString();

interface Outgoing {
  body: string;
  signature?: string;
}

describe.each(TEST_DIALECTS)("queue message trust on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let server: LocalSqsServer;
  const opened: QueueConnection[] = [];

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "trust");
    sync = await openTestService(testDb.url);
    db = sync.db;
    server = await startLocalSqs();
  });
  afterEach(() => {
    for (const queues of opened.splice(0)) queues.close();
  });
  afterAll(async () => {
    await server?.stop();
    await sync?.close();
    await testDb?.drop();
  });

  /** Sends the messages as given (attributes included), consumes them with the env's trust settings. */
  async function consume(env: NodeJS.ProcessEnv, outgoing: Outgoing[]) {
    const settings = freshQueueSettings(server, "trust");
    const queues = openTestQueues(settings);
    opened.push(queues);
    const config = testConfig(testDb.url, settings, env);
    const { queueUrl, dlqUrl } = await queues.urls();
    const sent = await publishMessages(
      queues.sqs,
      queueUrl,
      outgoing.map((m, i) => ({
        key: String(i),
        body: m.body,
        ...(m.signature ? { attributes: { [MESSAGE_SIGNATURE_ATTRIBUTE]: m.signature } } : {}),
      })),
    );
    expect(sent.published).toHaveLength(outgoing.length);
    const stats = await consumeUntilDrained(
      createPartnerSyncConsumer(config, { applier: sync.services.applier, queues, tuning: FAST, clock: () => NOW }),
    );
    const dead = await listDeadLetters(queues.sqs, dlqUrl);
    return { stats, dead };
  }

  async function expectPoisonRecorded(dead: Array<{ body: string; reason?: string }>) {
    const recorded = await poisonRows(db);
    for (const letter of dead) {
      expect(recorded.filter((r) => r.body === letter.body).map((r) => r.reason)).toEqual([letter.reason]);
    }
  }

  it("when a message's processed_at is beyond the allowed clock skew, then it is poison (recorded, dead-lettered) and changes nothing; within the skew it applies", async () => {
    const future = makeMessage({ debtor_id: 30_001, processed_at: at(301) });
    const near = makeMessage({ debtor_id: 30_002, processed_at: at(299) });
    const before = await snapshotTables(db, ["poison_messages"]);

    const { stats, dead } = await consume({}, [{ body: JSON.stringify(future) }]);
    expect(stats).toMatchObject({
      messages_poison_total: 1,
      messages_dead_lettered_total: 1,
      messages_applied_total: 0,
    });
    expect(dead.map((d) => [d.body, d.reason])).toEqual([
      [JSON.stringify(future), expect.stringMatching(/processed_at is 301 s in the future \(at most 300 s allowed\)/)],
    ]);
    await expectPoisonRecorded(dead);
    expect(await snapshotTables(db, ["poison_messages"])).toEqual(before);

    const applied = await consume({ MESSAGE_MAX_CLOCK_SKEW_SECONDS: "300" }, [{ body: JSON.stringify(near) }]);
    expect(applied.stats).toMatchObject({ messages_applied_total: 1, messages_poison_total: 0 });
    expect((await inboxRows(db, { from: 30_002, to: 30_003 })).map((r) => r.messageId)).toEqual([near.message_id]);
  });

  it("when MESSAGE_SIGNING_KEY is set, then unsigned, re-signed and tampered messages are poison and change nothing; a signed one applies", async () => {
    const message = (debtorId: number) => JSON.stringify(makeMessage({ debtor_id: debtorId, processed_at: at(-60) }));
    const unsigned = message(31_001);
    const resigned = message(31_002);
    const original = message(31_003);
    const tampered = original.replace('"debt_amount":"1000.00"', '"debt_amount":"1.00"');
    expect(tampered).not.toBe(original);
    const good = message(31_004);
    const goodId = JSON.parse(good).message_id as string;
    const before = await snapshotTables(db, ["poison_messages"]);

    const { stats, dead } = await consume({ MESSAGE_SIGNING_KEY: KEY }, [
      { body: unsigned },
      { body: resigned, signature: signMessageBody(resigned, OTHER_KEY) },
      { body: tampered, signature: signMessageBody(original, KEY) },
      { body: good, signature: signMessageBody(good, KEY) },
    ]);

    expect(stats).toMatchObject({
      messages_poison_total: 3,
      messages_dead_lettered_total: 3,
      messages_applied_total: 1,
    });
    expect(dead.map((d) => [d.body, d.reason]).sort()).toEqual(
      [
        [unsigned, "unsigned message: MESSAGE_SIGNING_KEY requires a signature"],
        [resigned, "message signature does not verify"],
        [tampered, "message signature does not verify"],
      ].sort(),
    );
    await expectPoisonRecorded(dead);
    const after = await snapshotTables(db, ["poison_messages"]);
    const applied = await inboxRows(db, { from: 31_001, to: 31_005 });
    expect(applied.map((r) => r.debtorId)).toEqual([31_004]);
    // Everything but the signed message's effects (rows naming its debtor or its message id) is as it was.
    const others = (rows: readonly string[] = []) =>
      rows.filter((row) => !row.includes('"debtor_id":31004') && !row.includes(goodId));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const [table, rows] of Object.entries(after)) {
      expect(others(rows), table).toEqual(others(before[table]));
    }
  });
});
