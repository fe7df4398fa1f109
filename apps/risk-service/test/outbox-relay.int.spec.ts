import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit";
import {
  connectQueues,
  ensureQueues,
  type LocalSqsServer,
  type QueueConnection,
  startLocalSqs,
} from "@smartrecover/queue";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openRiskDatabase, type RiskDatabase } from "../src/db/risk-database";
import { flushOutbox } from "../src/outbox/outbox-flush";
import { OutboxRelay } from "../src/outbox/outbox-relay";
import { receiveAll, writeOutboxRows } from "./outbox-fixtures";

const NAMES = { queueName: "outbox-main", dlqName: "outbox-dlq" };

describe.each(TEST_DIALECTS)("outbox relay on %s", (dialect) => {
  let testDb: TestDatabase;
  let db: RiskDatabase;
  let server: LocalSqsServer;
  let queues: QueueConnection;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "outbox_relay");
    db = await openRiskDatabase(testDb.url);
    server = await startLocalSqs();
    queues = connectQueues({ region: "us-east-1", endpoint: server.endpoint, ...NAMES });
  });

  afterEach(async () => {
    // Each test starts from an empty outbox and an empty queue.
    await db.transaction([{ sql: "DELETE FROM outbox_messages", params: [] }]);
    await receiveAll(queues.sqs, (await queues.urls()).queueUrl);
  });

  afterAll(async () => {
    queues?.close();
    await server?.stop();
    await db?.close();
    await testDb?.drop();
  });

  it("when 2,345 rows are pending, then each is published once with its payload and marked published", async () => {
    const messages = await writeOutboxRows(db, 2345);
    const report = await flushOutbox(db, queues, { pageSize: 500 });
    expect(report).toEqual({ published: 2345, pending: 0 });
    const received = await receiveAll(queues.sqs, (await queues.urls()).queueUrl);
    expect(received.map((m) => JSON.parse(m.Body ?? "").message_id).sort()).toEqual(
      messages.map((m) => m.message_id).sort(),
    );
    expect(new Set(received.map((m) => m.Body))).toEqual(new Set(messages.map((m) => JSON.stringify(m))));
    const unpublished = await db.prisma.outboxMessage.count({ where: { publishedAt: null } });
    expect(unpublished).toBe(0);
    const row = await db.prisma.outboxMessage.findFirst({ where: { messageId: messages[0]?.message_id } });
    expect(row?.attempts).toBe(1);
    expect(row?.publishedAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("when the outbox is flushed again, then nothing is sent twice", async () => {
    await writeOutboxRows(db, 30);
    expect((await flushOutbox(db, queues)).published).toBe(30);
    expect(await flushOutbox(db, queues)).toEqual({ published: 0, pending: 0 });
    expect(await receiveAll(queues.sqs, (await queues.urls()).queueUrl)).toHaveLength(30);
  });

  it("when SQS is down, then rows stay pending with the reason, and a flush after it is back publishes them all", async () => {
    const outage = await startLocalSqs();
    const down = connectQueues({ region: "us-east-1", endpoint: outage.endpoint, ...NAMES });
    await down.urls();
    await outage.stop();
    const messages = await writeOutboxRows(db, 250);

    const during = await flushOutbox(db, down);
    expect(during.published).toBe(0);
    expect(during.pending).toBe(250);
    expect(during.error).toMatch(/SQS unavailable/);
    const failed = await db.prisma.outboxMessage.findFirst({ where: { lastError: { not: null } } });
    expect(failed?.publishedAt).toBeNull();
    expect(failed?.attempts).toBeGreaterThan(0);

    // SQS comes back on the same address, with its queues (as a real outage ends).
    const back = await startLocalSqs({ port: outage.port });
    try {
      await ensureQueues(down.sqs, NAMES);
      expect(await flushOutbox(db, down)).toEqual({ published: 250, pending: 0 });
      const received = await receiveAll(down.sqs, (await down.urls()).queueUrl);
      expect(received.map((m) => JSON.parse(m.Body ?? "").message_id).sort()).toEqual(
        messages.map((m) => m.message_id).sort(),
      );
    } finally {
      down.close();
      await back.stop();
    }
  });

  it("when rows are written while the background relay runs, then it publishes them and stops promptly", async () => {
    const published: number[] = [];
    const relay = new OutboxRelay(db, queues, { intervalMs: 50, onFlush: (r) => published.push(r.published) });
    relay.start();
    try {
      await writeOutboxRows(db, 40);
      relay.wake();
      await expect.poll(() => published.reduce((a, b) => a + b, 0), { timeout: 5_000 }).toBe(40);
    } finally {
      const stopping = performance.now();
      await relay.stop();
      expect(performance.now() - stopping).toBeLessThan(2_000);
    }
    expect(await receiveAll(queues.sqs, (await queues.urls()).queueUrl)).toHaveLength(40);
  });
});
