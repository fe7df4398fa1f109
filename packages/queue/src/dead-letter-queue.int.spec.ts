import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDeadLetters, POISON_REASON_ATTRIBUTE, redriveDeadLetters } from "./dead-letter-queue";
import { type LocalSqsServer, startLocalSqs } from "./local-sqs-server";
import { receiveMessages, sendToDeadLetterQueue } from "./queue-operations";
import { ensureQueues, type QueueUrls, queueDepth } from "./queue-setup";
import { createSqsClient } from "./sqs-client";

let server: LocalSqsServer;
let sqs: SQSClient;
let urls: QueueUrls;

beforeAll(async () => {
  server = await startLocalSqs();
  sqs = createSqsClient({ region: "us-east-1", endpoint: server.endpoint });
  urls = await ensureQueues(sqs, { queueName: "dlq-tools-main", dlqName: "dlq-tools-dlq" });
  await sqs.send(new SendMessageCommand({ QueueUrl: urls.dlqUrl, MessageBody: '{"message_id":"abc-1"}' }));
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: urls.dlqUrl,
      MessageBody: "not json",
      MessageAttributes: { [POISON_REASON_ATTRIBUTE]: { DataType: "String", StringValue: "malformed JSON" } },
    }),
  );
});

afterAll(async () => {
  sqs?.destroy();
  await server?.stop();
});

describe("dead-letter queue tools", () => {
  it("when the DLQ is listed, then each dead letter is shown once and stays in the DLQ", async () => {
    const listed = await listDeadLetters(sqs, urls.dlqUrl);
    expect(listed.map((d) => d.messageId ?? d.reason).sort()).toEqual(["abc-1", "malformed JSON"]);
    expect((await queueDepth(sqs, urls.dlqUrl)).visible).toBe(2);
    expect(await listDeadLetters(sqs, urls.dlqUrl)).toHaveLength(2);
  });

  it("when the DLQ is redriven, then its messages move to the main queue with the same bodies", async () => {
    const outcome = await redriveDeadLetters(sqs, urls);
    expect(outcome).toEqual({ redriven: 2, failed: 0 });
    expect(await queueDepth(sqs, urls.dlqUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const main = await listDeadLetters(sqs, urls.queueUrl);
    expect(main.map((m) => m.body).sort()).toEqual(["not json", '{"message_id":"abc-1"}']);
  });

  it("when a signed message is dead-lettered and redriven, then its sender's attributes travel with it and the poison reason does not", async () => {
    const signed = { "smartrecover-signature": "v1=abc" };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: urls.queueUrl,
        MessageBody: "signed body",
        MessageAttributes: { "smartrecover-signature": { DataType: "String", StringValue: "v1=abc" } },
      }),
    );
    const received = async (queueUrl: string) => {
      const all = await receiveMessages(sqs, queueUrl, { max: 10, waitTimeSeconds: 0, visibilityTimeoutSeconds: 30 });
      return all.filter((m) => m.body === "signed body");
    };
    const [message] = await received(urls.queueUrl);
    expect(message?.attributes).toEqual(signed);
    await sendToDeadLetterQueue(sqs, urls.dlqUrl, [{ message: message as NonNullable<typeof message>, reason: "r" }]);
    expect((await listDeadLetters(sqs, urls.dlqUrl)).map((d) => [d.body, d.reason])).toEqual([["signed body", "r"]]);
    expect(await redriveDeadLetters(sqs, urls)).toEqual({ redriven: 1, failed: 0 });
    expect((await received(urls.queueUrl)).map((m) => m.attributes)).toEqual([signed]);
  });
});
