import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchConsumer, type BatchConsumerOptions, type BatchHandler } from "./batch-consumer";
import { listDeadLetters } from "./dead-letter-queue";
import { type LocalSqsServer, startLocalSqs } from "./local-sqs-server";
import { publishMessages } from "./publish-batch";
import { connectQueues, type QueueConnection } from "./queue-connection";
import { queueDepth } from "./queue-setup";

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

/** A fresh main queue + DLQ (maxReceiveCount 5) holding `count` messages. */
async function queueWith(count: number): Promise<QueueConnection> {
  queueCount += 1;
  const queues = connectQueues(
    { region: "us-east-1", endpoint: server.endpoint, queueName: `c-${queueCount}`, dlqName: `c-${queueCount}-dlq` },
    { mode: "ensure" },
  );
  connections.push(queues);
  const bodies = Array.from({ length: count }, (_, i) => ({ key: String(i), body: `message ${i}` }));
  const sent = await publishMessages(queues.sqs, (await queues.urls()).queueUrl, bodies);
  expect(sent.published).toHaveLength(count);
  return queues;
}

const FAST: BatchConsumerOptions = { concurrency: 3, batchSize: 10, visibilityTimeoutSeconds: 5, waitTimeSeconds: 1 };

async function consumeUntilDrained(queues: QueueConnection, handler: BatchHandler, options = FAST) {
  const consumer = new BatchConsumer(queues, handler, options);
  await consumer.start();
  try {
    await Promise.race([
      consumer.waitUntilDrained(),
      sleep(20_000).then(() => Promise.reject(new Error("queue not drained within 20 s"))),
    ]);
  } finally {
    await consumer.stop();
  }
  return consumer;
}

describe("BatchConsumer", () => {
  it("when every message is handled, then each is seen once, deleted, and the queue drains", async () => {
    const queues = await queueWith(137);
    const seen: string[] = [];
    const consumer = await consumeUntilDrained(queues, async (batch) => {
      seen.push(...batch.map((m) => m.body));
      return batch.map(() => ({ action: "delete" }));
    });
    expect(seen.sort()).toEqual(Array.from({ length: 137 }, (_, i) => `message ${i}`).sort());
    expect(consumer.stats).toMatchObject({ received: 137, deleted: 137, retried: 0, deadLettered: 0 });
  });

  it("when a message keeps failing, then it is redelivered and SQS dead-letters it after 5 receives", async () => {
    const queues = await queueWith(1);
    const receives: number[] = [];
    await consumeUntilDrained(
      queues,
      async (batch) => {
        receives.push(...batch.map((m) => m.receiveCount));
        throw new Error("database unavailable");
      },
      { ...FAST, retryDelaySeconds: () => 0 },
    );
    expect(receives).toEqual([1, 2, 3, 4, 5]);
    const dead = await listDeadLetters(queues.sqs, (await queues.urls()).dlqUrl);
    expect(dead.map((d) => d.body)).toEqual(["message 0"]);
  });

  it("when the handler dead-letters a message, then it goes to the DLQ at once with the reason", async () => {
    const queues = await queueWith(3);
    const consumer = await consumeUntilDrained(queues, async (batch) =>
      batch.map((m) =>
        m.body === "message 1" ? { action: "dead-letter", reason: "schema: bad" } : { action: "delete" },
      ),
    );
    expect(consumer.stats).toMatchObject({ received: 3, deadLettered: 1, retried: 0 });
    const dead = await listDeadLetters(queues.sqs, (await queues.urls()).dlqUrl);
    expect(dead).toEqual([expect.objectContaining({ body: "message 1", reason: "schema: bad" })]);
  });

  it("when work outlasts the visibility timeout, then the heartbeat keeps the batch from being redelivered", async () => {
    const queues = await queueWith(4);
    const deliveries: string[] = [];
    await consumeUntilDrained(
      queues,
      async (batch) => {
        deliveries.push(...batch.map((m) => m.body));
        await sleep(3_500);
        return batch.map(() => ({ action: "delete" }));
      },
      { concurrency: 2, batchSize: 10, visibilityTimeoutSeconds: 2, heartbeatSeconds: 1, waitTimeSeconds: 1 },
    );
    expect(deliveries.sort()).toEqual(["message 0", "message 1", "message 2", "message 3"]);
  });

  it("when stopped mid-batch, then the batch finishes and is deleted, and an idle long poll ends promptly", async () => {
    const queues = await queueWith(5);
    let started!: () => void;
    const batchStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let finished = 0;
    const consumer = new BatchConsumer(
      queues,
      async (batch) => {
        started();
        await sleep(500);
        finished += batch.length;
        return batch.map(() => ({ action: "delete" }));
      },
      { concurrency: 2, batchSize: 10, visibilityTimeoutSeconds: 30, waitTimeSeconds: 20 },
    );
    await consumer.start();
    await batchStarted;
    const stopping = performance.now();
    await consumer.stop();
    expect(performance.now() - stopping).toBeLessThan(3_000);
    expect(finished).toBe(5);
    expect(await queueDepth(queues.sqs, (await queues.urls()).queueUrl)).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });
});
