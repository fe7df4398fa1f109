import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalSqsServer, startLocalSqs } from "./local-sqs-server";
import { publishMessages } from "./publish-batch";
import { ensureQueues, openQueues, queueDepth } from "./queue-setup";
import { createSqsClient } from "./sqs-client";

let server: LocalSqsServer;
let sqs: SQSClient;
const names = { queueName: "setup-main", dlqName: "setup-dlq" };

beforeAll(async () => {
  server = await startLocalSqs();
  sqs = createSqsClient({ region: "us-east-1", endpoint: server.endpoint });
});

afterAll(async () => {
  sqs?.destroy();
  await server?.stop();
});

async function redrivePolicy(queueUrl: string) {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["RedrivePolicy"] }),
  );
  return JSON.parse(Attributes?.RedrivePolicy ?? "{}") as { deadLetterTargetArn?: string; maxReceiveCount?: unknown };
}

describe("ensureQueues", () => {
  it("when run twice, then each queue exists once and the main queue dead-letters to the DLQ after 5 receives", async () => {
    const first = await ensureQueues(sqs, names);
    const second = await ensureQueues(sqs, names);
    expect(second).toEqual(first);
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "setup-" }));
    expect(listed.QueueUrls).toHaveLength(2);
    const policy = await redrivePolicy(first.queueUrl);
    expect(policy.deadLetterTargetArn).toMatch(/:setup-dlq$/);
    expect(Number(policy.maxReceiveCount)).toBe(5);
  });

  it("when called with another maxReceiveCount, then the policy is updated instead of failing", async () => {
    const urls = await ensureQueues(sqs, names, { maxReceiveCount: 3 });
    expect(Number((await redrivePolicy(urls.queueUrl)).maxReceiveCount)).toBe(3);
    await ensureQueues(sqs, names);
  });

  it("when a publisher opens existing queues, then it keeps the policy the consumer set", async () => {
    await ensureQueues(sqs, { queueName: "owned-main", dlqName: "owned-dlq" }, { maxReceiveCount: 7 });
    const urls = await openQueues(sqs, { queueName: "owned-main", dlqName: "owned-dlq" });
    expect(Number((await redrivePolicy(urls.queueUrl)).maxReceiveCount)).toBe(7);
  });

  it("when a message is received 5 times without being deleted, then SQS moves it to the DLQ", async () => {
    const urls = await ensureQueues(sqs, { queueName: "redrive-main", dlqName: "redrive-dlq" });
    const sent = await publishMessages(sqs, urls.queueUrl, [{ key: "a", body: "never deleted" }]);
    expect(sent.published).toEqual(["a"]);
    for (let i = 0; i < 6; i++) {
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.queueUrl, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    }
    expect(await queueDepth(sqs, urls.queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect((await queueDepth(sqs, urls.dlqUrl)).visible).toBe(1);
  });
});
