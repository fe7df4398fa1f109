import { readDate } from "@smartrecover/db-kit";
import { TEST_DIALECTS } from "@smartrecover/db-kit/testing";
import {
  connectQueues,
  ensureQueues,
  type LocalSqsServer,
  type QueueConnection,
  startLocalSqs,
} from "@smartrecover/queue";
import { MESSAGE_SIGNATURE_ATTRIBUTE, verifyMessageBody } from "@smartrecover/service-kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OutboxPublisher } from "../src/outbox/outbox-publisher";
import type { RiskService } from "../src/service";
import { receiveAll, writeOutboxRows } from "./outbox-fixtures";
import { openTestService, rowCount, type TestService } from "./service-fixtures";

const NAMES = { queueName: "outbox-main", dlqName: "outbox-dlq" };

describe.each(TEST_DIALECTS)("outbox publisher on %s", (dialect) => {
  let opened: TestService;
  let service: RiskService;
  let server: LocalSqsServer;
  let queues: QueueConnection;
  const publisher = (options: ConstructorParameters<typeof OutboxPublisher>[2] = {}, on = queues) =>
    new OutboxPublisher(service.repositories.outbox, on, options);
  const received = async (on = queues) => receiveAll(on.sqs, (await on.urls()).queueUrl);

  beforeAll(async () => {
    opened = await openTestService(dialect, "outbox_publisher");
    service = opened.service;
    server = await startLocalSqs();
    queues = connectQueues({ region: "us-east-1", endpoint: server.endpoint, ...NAMES });
  });

  afterEach(async () => {
    // Each test starts from an empty outbox and an empty queue.
    await service.db.execute("DELETE FROM outbox_messages");
    await received();
  });

  afterAll(async () => {
    queues?.close();
    await server?.stop();
    await opened?.close();
  });

  it("when 2,345 rows are pending, then each is published once with its payload and marked published", async () => {
    const messages = await writeOutboxRows(service.db, 2345);
    const flushStarted = new Date();
    const report = await publisher({ pageSize: 500 }).flush();
    expect(report).toEqual({ published: 2345, pending: 0 });
    const got = await received();
    expect(got.map((m) => JSON.parse(m.Body ?? "").message_id).sort()).toEqual(
      messages.map((m) => m.message_id).sort(),
    );
    expect(new Set(got.map((m) => m.Body))).toEqual(new Set(messages.map((m) => JSON.stringify(m))));
    expect(await rowCount(service.db, "outbox_messages", "published_at IS NULL")).toBe(0);
    const [row] = await service.db.query<{ attempts: number; published_at: Date | string }>(
      "SELECT attempts, published_at FROM outbox_messages WHERE message_id = ?",
      [messages[0]?.message_id],
    );
    expect(Number(row?.attempts)).toBe(1);
    expect(readDate(row?.published_at ?? 0).getTime()).toBeGreaterThanOrEqual(flushStarted.getTime());
  });

  it("when a signing key is given, then every message carries the HMAC of exactly its body; without one, no signature", async () => {
    const key = "risk-service signing key, at least 32 bytes";
    await writeOutboxRows(service.db, 25);
    expect((await publisher({ signingKey: key }).flush()).published).toBe(25);
    const signed = await received();
    expect(signed).toHaveLength(25);
    for (const message of signed) {
      const signature = message.MessageAttributes?.[MESSAGE_SIGNATURE_ATTRIBUTE]?.StringValue;
      expect(verifyMessageBody(message.Body ?? "", signature, key)).toBe(true);
      expect(verifyMessageBody(message.Body ?? "", signature, "another key of at least 32 bytes!!")).toBe(false);
    }
    await writeOutboxRows(service.db, 3, 25);
    expect((await publisher().flush()).published).toBe(3);
    expect((await received()).map((m) => m.MessageAttributes?.[MESSAGE_SIGNATURE_ATTRIBUTE])).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("when the outbox is flushed again, then nothing is sent twice", async () => {
    await writeOutboxRows(service.db, 30);
    expect((await publisher().flush()).published).toBe(30);
    expect(await publisher().flush()).toEqual({ published: 0, pending: 0 });
    expect(await received()).toHaveLength(30);
  });

  it("when SQS is down, then rows stay pending with the reason, and a flush after it is back publishes them all", async () => {
    const outage = await startLocalSqs();
    const down = connectQueues({ region: "us-east-1", endpoint: outage.endpoint, ...NAMES });
    await down.urls();
    await outage.stop();
    const messages = await writeOutboxRows(service.db, 250);

    const during = await publisher({}, down).flush();
    expect(during.published).toBe(0);
    expect(during.pending).toBe(250);
    expect(during.error).toMatch(/SQS unavailable/);
    const [failed] = await service.db.query<{ attempts: number; published_at: unknown }>(
      "SELECT attempts, published_at FROM outbox_messages WHERE last_error IS NOT NULL",
    );
    expect(failed?.published_at).toBeNull();
    expect(Number(failed?.attempts)).toBeGreaterThan(0);

    // SQS comes back on the same address, with its queues (as a real outage ends).
    const back = await startLocalSqs({ port: outage.port });
    try {
      await ensureQueues(down.sqs, NAMES);
      expect(await publisher({}, down).flush()).toEqual({ published: 250, pending: 0 });
      expect((await received(down)).map((m) => JSON.parse(m.Body ?? "").message_id).sort()).toEqual(
        messages.map((m) => m.message_id).sort(),
      );
    } finally {
      down.close();
      await back.stop();
    }
  });

  it("when rows are written while it runs in the background, then a wake publishes them, and stop ends the loop without waiting out the pause", async () => {
    const flushes: number[] = [];
    // An hour between flushes: only wake() and stop() can end a pause within the test's timeout.
    const relay = publisher({ intervalMs: 3_600_000, onFlush: (r) => flushes.push(r.published) });
    relay.start();
    await expect.poll(() => flushes.length, { timeout: 10_000 }).toBe(1);
    await writeOutboxRows(service.db, 40);
    relay.wake();
    await expect.poll(() => flushes.reduce((a, b) => a + b, 0), { timeout: 10_000 }).toBe(40);
    await relay.stop();
    const stoppedAfter = flushes.length;
    await writeOutboxRows(service.db, 5, 1000);
    relay.wake();
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toHaveLength(stoppedAfter);
    expect(await rowCount(service.db, "outbox_messages", "published_at IS NULL")).toBe(5);
    expect(await received()).toHaveLength(40);
  });

  it("when finished, then rows committed after the last flush are published too and the total since start is reported", async () => {
    const relay = publisher({ intervalMs: 3_600_000 });
    relay.start();
    await writeOutboxRows(service.db, 25);
    relay.wake();
    await writeOutboxRows(service.db, 15, 500);
    const report = await relay.finish();
    expect(report).toEqual({ published: 40, pending: 0 });
    expect(await received()).toHaveLength(40);
  });
});
