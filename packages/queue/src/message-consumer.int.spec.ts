import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { listDeadLetters } from "./dead-letter-queue";
import { type LocalSqsServer, startLocalSqs } from "./local-sqs-server";
import { type ConsumerOptions, MessageConsumer } from "./message-consumer";
import type { MessageHandling, PoisonMessage } from "./message-handling";
import { type MessageOutcome, retryLater } from "./message-outcome";
import { publishMessages } from "./publish-batch";
import { connectQueues, type QueueConnection } from "./queue-connection";
import { queueDepth } from "./queue-setup";

const Numbered = z.object({ n: z.number().int() });
type Numbered = z.infer<typeof Numbered>;

let server: LocalSqsServer;
const connections: QueueConnection[] = [];
let queueCount = 0;

beforeAll(async () => {
  server = await startLocalSqs();
});

afterAll(async () => {
  for (const connection of connections) connection.close();
  await server?.stop();
});

/** A fresh main queue + DLQ (maxReceiveCount 5) holding the given bodies. */
async function queueWith(bodies: string[]): Promise<QueueConnection> {
  queueCount += 1;
  const queues = connectQueues(
    { region: "us-east-1", endpoint: server.endpoint, queueName: `c-${queueCount}`, dlqName: `c-${queueCount}-dlq` },
    { mode: "ensure" },
  );
  connections.push(queues);
  const sent = await publishMessages(
    queues.sqs,
    (await queues.urls()).queueUrl,
    bodies.map((body, i) => ({ key: String(i), body })),
  );
  expect(sent.published).toHaveLength(bodies.length);
  return queues;
}

/** A promise and the function that resolves it: a gate a test opens, or an event it waits for. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

const numbered = (count: number) => Array.from({ length: count }, (_, n) => JSON.stringify({ n }));

const FAST: ConsumerOptions = { concurrency: 3, batchSize: 10, visibilityTimeoutSeconds: 5, waitTimeSeconds: 1 };

function handlingOf(
  handle: (messages: readonly Numbered[]) => Promise<readonly MessageOutcome[]>,
  recordPoison: (poison: PoisonMessage) => Promise<void> = async () => {},
): MessageHandling<Numbered> {
  return { schema: Numbered, handle, recordPoison };
}

async function consumeUntilDrained(consumer: MessageConsumer<Numbered>) {
  await consumer.start();
  try {
    await Promise.race([
      consumer.waitUntilDrained(),
      sleep(20_000).then(() => Promise.reject(new Error("queue not drained within 20 s"))),
    ]);
  } finally {
    await consumer.stop();
  }
  return consumer.counters();
}

describe("MessageConsumer", () => {
  it("when the handler settles every message, then each is seen once, counted by its outcome and deleted", async () => {
    const queues = await queueWith(numbered(137));
    const seen: number[] = [];
    const outcomeOf = (n: number): MessageOutcome => ({
      outcome: (["applied", "duplicate", "stale"] as const)[n % 3] ?? "applied",
    });
    const counters = await consumeUntilDrained(
      new MessageConsumer(
        queues,
        handlingOf(async (messages) => {
          seen.push(...messages.map((m) => m.n));
          return messages.map((m) => outcomeOf(m.n));
        }),
        FAST,
      ),
    );
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 137 }, (_, n) => n));
    // 0…136: 46 numbers ≡ 0 (mod 3), 46 ≡ 1, 45 ≡ 2.
    expect(counters).toMatchObject({
      messages_received_total: 137,
      messages_applied_total: 46,
      messages_duplicate_total: 46,
      messages_stale_total: 45,
      messages_deleted_total: 137,
      messages_retry_later_total: 0,
      messages_dead_lettered_total: 0,
    });
  });

  it("when a message is always retried later, then it is redelivered and SQS dead-letters it after 5 receives", async () => {
    const queues = await queueWith(numbered(1));
    const receives: number[] = [];
    const consumer = new MessageConsumer(
      queues,
      handlingOf(async (messages) => messages.map(() => retryLater("database unavailable"))),
      { ...FAST, retryDelaySeconds: () => 0 },
    );
    consumer.on("settled", (settlements) => receives.push(...settlements.map((s) => s.message.receiveCount)));
    const counters = await consumeUntilDrained(consumer);
    expect(receives).toEqual([1, 2, 3, 4, 5]);
    expect(counters).toMatchObject({
      messages_retry_later_total: 5,
      messages_failed_total: 5,
      messages_deleted_total: 0,
    });
    const dead = await listDeadLetters(queues.sqs, (await queues.urls()).dlqUrl);
    expect(dead.map((d) => d.body)).toEqual(['{"n":0}']);
  });

  it("when a body fails the schema, then it is recorded through the hook and dead-lettered at once with the reason", async () => {
    const queues = await queueWith([...numbered(2), '{"n":"one"}']);
    const recorded: PoisonMessage[] = [];
    const counters = await consumeUntilDrained(
      new MessageConsumer(
        queues,
        handlingOf(
          async (messages) => messages.map((): MessageOutcome => ({ outcome: "applied" })),
          async (poison) => {
            recorded.push(poison);
          },
        ),
        FAST,
      ),
    );
    expect(counters).toMatchObject({
      messages_received_total: 3,
      messages_applied_total: 2,
      messages_poison_total: 1,
      messages_dead_lettered_total: 1,
      messages_retry_later_total: 0,
    });
    expect(recorded).toEqual([expect.objectContaining({ body: '{"n":"one"}', receiveCount: 1 })]);
    const dead = await listDeadLetters(queues.sqs, (await queues.urls()).dlqUrl);
    expect(dead).toEqual([expect.objectContaining({ body: '{"n":"one"}', reason: recorded[0]?.reason })]);
    expect(dead[0]?.reason).toMatch(/^schema: n: /);
  });

  it("when recording a poison message fails once, then it is retried, recorded on redelivery, and dead-lettered once", async () => {
    const queues = await queueWith(["not json"]);
    const attempts: number[] = [];
    const counters = await consumeUntilDrained(
      new MessageConsumer(
        queues,
        handlingOf(
          async () => [],
          async (poison) => {
            attempts.push(poison.receiveCount);
            if (poison.receiveCount === 1) throw new Error("database locked");
          },
        ),
        { ...FAST, retryDelaySeconds: () => 0 },
      ),
    );
    expect(attempts).toEqual([1, 2]);
    expect(counters).toMatchObject({
      messages_retry_later_total: 1,
      messages_failed_total: 0,
      messages_poison_total: 1,
      messages_dead_lettered_total: 1,
    });
    expect((await listDeadLetters(queues.sqs, (await queues.urls()).dlqUrl)).map((d) => d.body)).toEqual(["not json"]);
  });

  it("when work outlasts the visibility timeout, then heartbeats keep the batch from being redelivered", async () => {
    const queues = await queueWith(numbered(4));
    const receiveCounts: number[] = [];
    const consumer: MessageConsumer<Numbered> = new MessageConsumer(
      queues,
      handlingOf(async (messages) => {
        // Three extensions of a 2 s timeout: the batch has outlived the timeout it was received with.
        for (let beat = 0; beat < 3; beat += 1) await once(consumer, "heartbeat");
        return messages.map((): MessageOutcome => ({ outcome: "applied" }));
      }),
      {
        concurrency: 1,
        maxBatchesInFlight: 1,
        batchSize: 10,
        visibilityTimeoutSeconds: 2,
        heartbeatSeconds: 1,
        waitTimeSeconds: 1,
      },
    );
    consumer.on("settled", (settlements) => receiveCounts.push(...settlements.map((s) => s.message.receiveCount)));
    const counters = await consumeUntilDrained(consumer);
    expect(receiveCounts).toEqual([1, 1, 1, 1]);
    expect(counters.messages_applied_total).toBe(4);
    expect(counters.visibility_extensions_total).toBeGreaterThanOrEqual(3);
  });

  it("when the handler is slow, then the loops keep receiving until maxBatchesInFlight batches wait, and no further", async () => {
    const queues = await queueWith(numbered(30));
    let active = 0;
    let most = 0;
    const gate = deferred();
    const threeWaiting = deferred();
    const consumer = new MessageConsumer(
      queues,
      handlingOf(async (messages) => {
        active += 1;
        most = Math.max(most, active);
        if (active === 3) threeWaiting.resolve();
        await gate.promise;
        active -= 1;
        return messages.map((): MessageOutcome => ({ outcome: "applied" }));
      }),
      { concurrency: 1, maxBatchesInFlight: 3, batchSize: 5, visibilityTimeoutSeconds: 30, waitTimeSeconds: 1 },
    );
    const drained = consumeUntilDrained(consumer);
    await threeWaiting.promise;
    gate.resolve();
    const counters = await drained;
    // One loop, yet three batches were handled at once: receiving did not wait for the handler.
    expect(most).toBe(3);
    expect(counters).toMatchObject({
      messages_received_total: 30,
      messages_applied_total: 30,
      messages_deleted_total: 30,
    });
  });

  it("when stopped mid-batch, then the batch finishes and is deleted, and idle long polls are cut short", async () => {
    const queues = await queueWith(numbered(5));
    const gate = deferred();
    const batchStarted = deferred();
    let finished = 0;
    const consumer = new MessageConsumer(
      queues,
      handlingOf(async (messages) => {
        batchStarted.resolve();
        await gate.promise;
        finished += messages.length;
        return messages.map((): MessageOutcome => ({ outcome: "applied" }));
      }),
      { concurrency: 2, batchSize: 10, visibilityTimeoutSeconds: 30, waitTimeSeconds: 20 },
    );
    let aborted = 0;
    consumer.on("pollAborted", () => {
      aborted += 1;
    });
    await consumer.start();
    await batchStarted.promise;
    const stopped = consumer.stop();
    gate.resolve();
    await stopped;
    expect(finished).toBe(5);
    // The other loop was in a 20 s long poll: stop() aborted it instead of waiting it out.
    expect(aborted).toBeGreaterThanOrEqual(1);
    expect(consumer.counters().messages_deleted_total).toBe(5);
    expect(await queueDepth(queues.sqs, (await queues.urls()).queueUrl)).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });
});
