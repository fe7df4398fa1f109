import { type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalSqsServer, startLocalSqs } from "./local-sqs-server";
import { publishMessages } from "./publish-batch";
import { ensureQueues, type QueueUrls } from "./queue-setup";
import { createSqsClient } from "./sqs-client";

let server: LocalSqsServer;
let sqs: SQSClient;

beforeAll(async () => {
  server = await startLocalSqs();
  sqs = createSqsClient({ region: "us-east-1", endpoint: server.endpoint });
});

afterAll(async () => {
  sqs?.destroy();
  await server?.stop();
});

let queueCount = 0;
async function freshQueue(): Promise<QueueUrls> {
  queueCount += 1;
  return ensureQueues(sqs, { queueName: `publish-${queueCount}`, dlqName: `publish-${queueCount}-dlq` });
}

async function drain(queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
  }
}

const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `m-${i}`, body: `{"n":${i}}` }));

describe("publishMessages", () => {
  it("when 95 messages are published, then every one is reported and sits in the queue once", async () => {
    const { queueUrl } = await freshQueue();
    const outcome = await publishMessages(sqs, queueUrl, messages(95), { concurrency: 4 });
    expect(outcome.published.sort()).toEqual(
      messages(95)
        .map((m) => m.key)
        .sort(),
    );
    expect(outcome.failed).toEqual([]);
    const bodies = (await drain(queueUrl)).map((m) => m.Body).sort();
    expect(bodies).toEqual(
      messages(95)
        .map((m) => m.body)
        .sort(),
    );
  });

  it("when SQS rejects one entry as the sender's fault, then it is reported permanent and the rest are sent", async () => {
    const { queueUrl } = await freshQueue();
    const batch = [...messages(3), { key: "bad", body: "control char \u0000" }];
    const outcome = await publishMessages(sqs, queueUrl, batch);
    expect(outcome.published.sort()).toEqual(["m-0", "m-1", "m-2"]);
    expect(outcome.failed).toEqual([{ key: "bad", error: expect.stringContaining("Invalid"), permanent: true }]);
    expect(await drain(queueUrl)).toHaveLength(3);
  });

  it("when SQS reports entries failed on its side, then only those entries are sent again", async () => {
    const { queueUrl } = await freshQueue();
    // Fault injection at the client edge: the real server accepts everything, and the first
    // answer is rewritten to report two entries as server-side failures.
    let rewritten = false;
    const faulty = createSqsClient({ region: "us-east-1", endpoint: server.endpoint });
    faulty.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const output = result.output as { Successful?: Array<{ Id?: string }>; Failed?: unknown[] };
        if (!rewritten && output.Successful) {
          rewritten = true;
          const lost = output.Successful.splice(0, 2);
          output.Failed = lost.map((s) => ({ Id: s.Id, SenderFault: false, Code: "InternalError" }));
        }
        return result;
      },
      { step: "initialize" },
    );
    const outcome = await publishMessages(faulty, queueUrl, messages(5), { retryDelayMs: 1 });
    faulty.destroy();
    expect(rewritten).toBe(true);
    expect(outcome.published.sort()).toEqual(messages(5).map((m) => m.key));
    // The two "failed" entries had in fact arrived, so they arrive twice: at-least-once, by design.
    expect(await drain(queueUrl)).toHaveLength(7);
  });

  it("when SQS is unreachable, then nothing is reported published and publishing halts with the reason", async () => {
    const spare = await startLocalSqs();
    const endpoint = spare.endpoint;
    await spare.stop();
    const down = createSqsClient({ region: "us-east-1", endpoint });
    const outcome = await publishMessages(down, `${endpoint}/000000000000/gone`, messages(40), { concurrency: 2 });
    down.destroy();
    expect(outcome.published).toEqual([]);
    expect(outcome.halted).toMatch(/ECONNREFUSED|connect/i);
    expect([...outcome.failed.map((f) => f.key), ...outcome.skipped].sort()).toEqual(
      messages(40)
        .map((m) => m.key)
        .sort(),
    );
  });
});
