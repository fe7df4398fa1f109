import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { POISON_REASON_ATTRIBUTE } from "./dead-letter-queue";
import { stringAttributes } from "./message-attributes";
import { publishMessages } from "./publish-batch";

/** A received message, as the consumer's handler sees it. */
export interface ReceivedMessage {
  sqsMessageId: string;
  receiptHandle: string;
  body: string;
  /** 1 on first delivery; SQS dead-letters the message once it passes maxReceiveCount. */
  receiveCount: number;
  /** String message attributes as sent (e.g. a body signature); absent when there are none. */
  attributes?: Readonly<Record<string, string>>;
  /** When SQS first accepted the message (epoch ms), for lag and age metrics; absent if the server omits it. */
  sentAt?: number;
}

export async function receiveMessages(
  sqs: SQSClient,
  queueUrl: string,
  options: { max: number; waitTimeSeconds: number; visibilityTimeoutSeconds: number; signal?: AbortSignal },
): Promise<ReceivedMessage[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: options.max,
      WaitTimeSeconds: options.waitTimeSeconds,
      VisibilityTimeout: options.visibilityTimeoutSeconds,
      MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
      MessageAttributeNames: ["All"],
    }),
    { abortSignal: options.signal },
  );
  return Messages.filter((m): m is Message & { ReceiptHandle: string } => Boolean(m.ReceiptHandle)).map((m) => ({
    sqsMessageId: m.MessageId ?? "",
    receiptHandle: m.ReceiptHandle,
    body: m.Body ?? "",
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
    ...(m.MessageAttributes ? { attributes: stringAttributes(m.MessageAttributes) } : {}),
    ...(m.Attributes?.SentTimestamp ? { sentAt: Number(m.Attributes.SentTimestamp) } : {}),
  }));
}

/** Deletes messages; returns how many SQS reported as not deleted (they will be redelivered). */
export async function deleteMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly ReceivedMessage[],
): Promise<number> {
  let failed = 0;
  for (let i = 0; i < messages.length; i += 10) {
    const part = messages.slice(i, i + 10);
    const response = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: part.map((m, index) => ({ Id: String(index), ReceiptHandle: m.receiptHandle })),
      }),
    );
    failed += response.Failed?.length ?? 0;
  }
  return failed;
}

/** Sets each message's remaining invisibility (0 makes it visible at once). */
export async function changeVisibility(
  sqs: SQSClient,
  queueUrl: string,
  entries: ReadonlyArray<{ message: ReceivedMessage; seconds: number }>,
): Promise<void> {
  for (let i = 0; i < entries.length; i += 10) {
    const part = entries.slice(i, i + 10);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: part.map(({ message, seconds }, index) => ({
          Id: String(index),
          ReceiptHandle: message.receiptHandle,
          VisibilityTimeout: seconds,
        })),
      }),
    );
  }
}

/**
 * Sends messages to the dead-letter queue with the reason as a message attribute; returns
 * those SQS accepted. Only those may then be deleted from the main queue.
 */
export async function sendToDeadLetterQueue(
  sqs: SQSClient,
  dlqUrl: string,
  entries: ReadonlyArray<{ message: ReceivedMessage; reason: string }>,
): Promise<ReceivedMessage[]> {
  const outcome = await publishMessages(
    sqs,
    dlqUrl,
    entries.map(({ message, reason }, index) => ({
      key: String(index),
      body: message.body,
      // The sender's attributes (a signature) travel along, so a redriven message is still verifiable.
      attributes: { ...message.attributes, [POISON_REASON_ATTRIBUTE]: reason.slice(0, 256) },
    })),
  );
  return outcome.published.map((key) => (entries[Number(key)] as { message: ReceivedMessage }).message);
}
