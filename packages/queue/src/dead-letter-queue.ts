import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { stringAttributes } from "./message-attributes";
import { publishMessages } from "./publish-batch";

/** Message attribute the consumer sets when it dead-letters a message itself (poison). */
export const POISON_REASON_ATTRIBUTE = "poison_reason";

export interface DeadLetter {
  sqsMessageId: string;
  /** The contract's message_id when the body is JSON that has one. */
  messageId?: string;
  sentAt?: Date;
  reason?: string;
  body: string;
}

/** Lists up to `limit` dead letters without consuming them (see peekMessages). */
export function listDeadLetters(sqs: SQSClient, dlqUrl: string, options: { limit?: number } = {}) {
  return peekMessages(sqs, dlqUrl, options);
}

/**
 * Reads up to `limit` messages of a queue without consuming them: each is held invisible while
 * the listing runs (so none is counted twice) and released at the end.
 */
export async function peekMessages(
  sqs: SQSClient,
  queueUrl: string,
  options: { limit?: number } = {},
): Promise<DeadLetter[]> {
  const limit = options.limit ?? 50;
  const seen: Message[] = [];
  while (seen.length < limit) {
    const batch = await receive(sqs, queueUrl, Math.min(10, limit - seen.length), 30);
    if (batch.length === 0) break;
    seen.push(...batch);
  }
  for (let i = 0; i < seen.length; i += 10) {
    const part = seen.slice(i, i + 10);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: part.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
      }),
    );
  }
  return seen.map(toDeadLetter);
}

export interface RedriveOutcome {
  redriven: number;
  failed: number;
}

/**
 * Moves dead letters back to the main queue: receive from the DLQ, re-send the same body,
 * delete from the DLQ only what was re-sent. Local SQS servers lack StartMessageMoveTask,
 * so this works everywhere. A crash between send and delete re-sends a message twice, which
 * the idempotent consumer absorbs (same message_id).
 */
export async function redriveDeadLetters(
  sqs: SQSClient,
  urls: { dlqUrl: string; queueUrl: string },
  options: { limit?: number } = {},
): Promise<RedriveOutcome> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const outcome: RedriveOutcome = { redriven: 0, failed: 0 };
  while (outcome.redriven + outcome.failed < limit) {
    const batch = await receive(sqs, urls.dlqUrl, Math.min(10, limit - outcome.redriven - outcome.failed), 60);
    if (batch.length === 0) break;
    const sent = await publishMessages(
      sqs,
      urls.queueUrl,
      batch.map((m, index) => ({ key: String(index), body: m.Body ?? "", attributes: senderAttributes(m) })),
    );
    const resent = sent.published.map((key) => batch[Number(key)] as Message);
    if (resent.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: urls.dlqUrl,
          Entries: resent.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    outcome.redriven += resent.length;
    outcome.failed += batch.length - resent.length;
    if (sent.halted !== undefined) throw new Error(`redrive stopped: ${sent.halted}`);
  }
  return outcome;
}

async function receive(sqs: SQSClient, queueUrl: string, max: number, visibilityTimeout: number) {
  const response = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: max,
      VisibilityTimeout: visibilityTimeout,
      // A short wait: long enough for AWS to look past an empty server, short enough to end promptly.
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ["SentTimestamp"],
      MessageAttributeNames: ["All"],
    }),
  );
  return response.Messages ?? [];
}

/** What the publisher attached (a signature), without the reason the consumer added when dead-lettering. */
function senderAttributes(message: Message): Record<string, string> {
  const { [POISON_REASON_ATTRIBUTE]: _reason, ...sent } = stringAttributes(message.MessageAttributes ?? {});
  return sent;
}

function toDeadLetter(message: Message): DeadLetter {
  const body = message.Body ?? "";
  const sentAt = message.Attributes?.SentTimestamp;
  return {
    sqsMessageId: message.MessageId ?? "",
    messageId: messageIdOf(body),
    sentAt: sentAt ? new Date(Number(sentAt)) : undefined,
    reason: message.MessageAttributes?.[POISON_REASON_ATTRIBUTE]?.StringValue,
    body,
  };
}

function messageIdOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const id = (parsed as { message_id?: unknown } | null)?.message_id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
