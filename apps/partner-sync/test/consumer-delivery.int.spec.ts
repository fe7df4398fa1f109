import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import {
  type LocalSqsServer,
  listDeadLetters,
  type QueueConnection,
  queueDepth,
  redriveDeadLetters,
  startLocalSqs,
} from "@smartrecover/queue";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPartnerSyncConsumer } from "../src/consumer/partner-sync-consumer";
import type { PartnerSync } from "../src/service";
import {
  consumeUntilDrained,
  freshQueueSettings,
  openTestQueues,
  sendBodies,
  testConfig,
} from "./support/consumer-fixtures";
import { makeMessage, snapshotTables } from "./support/fixtures";
import { inboxCount, inboxRows, poisonRows, syncRecords } from "./support/tables";
import { openTestService } from "./support/test-service";

const FAST = { waitTimeSeconds: 1, retryDelaySeconds: () => 0 };

describe.each(TEST_DIALECTS)("partner-sync consumer on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let server: LocalSqsServer;
  let queues: QueueConnection;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "consumer");
    sync = await openTestService(testDb.url);
    db = sync.db;
    server = await startLocalSqs();
  });

  beforeEach(() => {
    const settings = freshQueueSettings(server, "consumer");
    config = testConfig(testDb.url, settings);
    queues = openTestQueues(settings);
  });

  afterEach(() => queues.close());

  afterAll(async () => {
    await server?.stop();
    await sync?.close();
    await testDb?.drop();
  });

  const consumer = () => createPartnerSyncConsumer(config, { applier: sync.services.applier, queues, tuning: FAST });

  it("when 250 messages arrive, then each is reconciled once and deleted only after its commit", async () => {
    const messages = Array.from({ length: 250 }, (_, i) => makeMessage({ debtor_id: 10_000 + i }));
    await sendBodies(
      queues,
      messages.map((m) => JSON.stringify(m)),
    );

    const stats = await consumeUntilDrained(consumer());

    expect(stats).toMatchObject({
      messages_received_total: 250,
      messages_applied_total: 250,
      messages_duplicate_total: 0,
      messages_poison_total: 0,
      messages_deleted_total: 250,
      messages_retry_later_total: 0,
    });
    const inbox = await inboxRows(db, { from: 10_000, to: 10_250 });
    expect(inbox.map((row) => row.messageId).sort()).toEqual(messages.map((m) => m.message_id).sort());
    const records = await syncRecords(db, { from: 10_000, to: 10_250 });
    expect(records.map((r) => [r.debtorId, r.lastMessageId])).toEqual(messages.map((m) => [m.debtor_id, m.message_id]));
    expect(await queueDepth(queues.sqs, (await queues.urls()).queueUrl)).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });

  it("when a message is delivered again after it was applied, then nothing changes and it is deleted", async () => {
    const message = makeMessage({ debtor_id: 20_000, debt_amount: "4321.00" });
    await sendBodies(queues, [JSON.stringify(message)]);
    await consumeUntilDrained(consumer());
    const before = await snapshotTables(db);

    await sendBodies(queues, [JSON.stringify(message), JSON.stringify(message)]);
    const stats = await consumeUntilDrained(consumer());

    expect(stats).toMatchObject({
      messages_received_total: 2,
      messages_applied_total: 0,
      messages_duplicate_total: 2,
      messages_deleted_total: 2,
    });
    expect(await snapshotTables(db)).toEqual(before);
  });

  it("when messages are malformed or break the schema, then they go to the DLQ at once and are recorded", async () => {
    const before = await snapshotTables(db, ["poison_messages"]);
    const wrongVersion = JSON.stringify({ ...makeMessage({ debtor_id: 20_001 }), schema_version: 2 });
    const badAmount = JSON.stringify({ ...makeMessage({ debtor_id: 20_002 }), debt_amount: 12.5 });
    await sendBodies(queues, ["{ not json", wrongVersion, badAmount]);

    const stats = await consumeUntilDrained(consumer());

    expect(stats).toMatchObject({
      messages_received_total: 3,
      messages_poison_total: 3,
      messages_dead_lettered_total: 3,
      messages_applied_total: 0,
      messages_retry_later_total: 0,
    });
    const dead = await listDeadLetters(queues.sqs, (await queues.urls()).dlqUrl);
    expect(dead.map((d) => d.body).sort()).toEqual(["{ not json", badAmount, wrongVersion].sort());
    expect(dead.map((d) => d.reason).sort()).toEqual([
      expect.stringMatching(/^malformed JSON/),
      expect.stringMatching(/^schema: debt_amount/),
      "unsupported schema_version 2; expected 1",
    ]);
    const recorded = (await poisonRows(db)).filter((r) => dead.some((d) => d.body === r.body));
    expect(recorded.map((r) => [r.body, r.reason, r.receiveCount]).sort()).toEqual(
      dead.map((d) => [d.body, d.reason, 1]).sort(),
    );
    expect(await snapshotTables(db, ["poison_messages"])).toEqual(before);
  });

  it("when the database fails, then the message is redelivered, dead-lettered after 5 receives, and a redrive applies it once", async () => {
    const message = makeMessage({ debtor_id: 20_003 });
    await sendBodies(queues, [JSON.stringify(message)]);
    // A real failure of the real database: the inbox table is gone until it is renamed back.
    await db.execute("ALTER TABLE inbox_messages RENAME TO inbox_messages_away");
    let failing: Awaited<ReturnType<typeof consumeUntilDrained>>;
    try {
      failing = await consumeUntilDrained(consumer());
    } finally {
      await db.execute("ALTER TABLE inbox_messages_away RENAME TO inbox_messages");
    }
    expect(failing).toMatchObject({
      messages_received_total: 5,
      messages_failed_total: 5,
      messages_retry_later_total: 5,
      messages_applied_total: 0,
      messages_deleted_total: 0,
    });
    const urls = await queues.urls();
    expect((await listDeadLetters(queues.sqs, urls.dlqUrl)).map((d) => d.messageId)).toEqual([message.message_id]);
    expect(await inboxCount(db, "message_id = ?", [message.message_id])).toBe(0);

    expect(await redriveDeadLetters(queues.sqs, urls)).toEqual({ redriven: 1, failed: 0 });
    const recovered = await consumeUntilDrained(consumer());

    expect(recovered).toMatchObject({ messages_received_total: 1, messages_applied_total: 1 });
    expect(await inboxCount(db, "message_id = ?", [message.message_id])).toBe(1);
    expect((await syncRecords(db, { from: 20_003, to: 20_004 })).map((r) => r.lastMessageId)).toEqual([
      message.message_id,
    ]);
    expect(await queueDepth(queues.sqs, urls.dlqUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});
