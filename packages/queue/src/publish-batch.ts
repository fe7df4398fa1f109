import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/** SQS limits of one SendMessageBatch call. */
export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 256 * 1024;

export interface OutgoingMessage {
  /** The caller's identifier (the outbox message_id), echoed back in the outcome. */
  key: string;
  body: string;
  /** String message attributes (e.g. why a message was dead-lettered). */
  attributes?: Record<string, string>;
}

export interface PublishFailure {
  key: string;
  error: string;
  /** SQS blamed the message itself (SenderFault): sending it again will fail again. */
  permanent: boolean;
}

export interface PublishOutcome {
  published: string[];
  failed: PublishFailure[];
  /** Not attempted, because publishing halted (SQS unreachable) or was aborted. */
  skipped: string[];
  /** Why publishing stopped early, when it did. */
  halted?: string;
}

export interface PublishOptions {
  /** SendMessageBatch calls in flight at once (default 8). */
  concurrency?: number;
  /** Tries per entry that SQS reports as failed without blaming the sender (default 4). */
  maxAttempts?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
}

/**
 * Sends messages in SendMessageBatch calls (10 per call, several in flight) and retries the
 * entries a call reports as failed. A call that fails as a whole (SQS unreachable, after the
 * SDK's own retries) halts the run: the remaining messages are reported as skipped.
 */
export async function publishMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  options: PublishOptions = {},
): Promise<PublishOutcome> {
  const outcome: PublishOutcome = { published: [], failed: [], skipped: [] };
  const batches = toBatches(messages, outcome);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const batch = batches[next++];
      if (!batch) return;
      if (outcome.halted !== undefined || options.signal?.aborted) {
        outcome.skipped.push(...batch.map((m) => m.key));
        continue;
      }
      await sendWithRetries(sqs, queueUrl, batch, outcome, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  return outcome;
}

async function sendWithRetries(
  sqs: SQSClient,
  queueUrl: string,
  batch: OutgoingMessage[],
  outcome: PublishOutcome,
  options: PublishOptions,
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 4;
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt++) {
    // Entry ids only need to be unique within the call; indexes also satisfy SQS's id charset.
    const entries: SendMessageBatchRequestEntry[] = pending.map((m, i) => ({
      Id: String(i),
      MessageBody: m.body,
      ...(m.attributes ? { MessageAttributes: toAttributes(m.attributes) } : {}),
    }));
    let response: SendMessageBatchCommandOutput;
    try {
      response = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }), {
        abortSignal: options.signal,
      });
    } catch (error) {
      const reason = (error as Error).message || (error as Error).name;
      outcome.halted ??= reason;
      outcome.failed.push(...pending.map((m) => ({ key: m.key, error: reason, permanent: false })));
      return;
    }
    for (const ok of response.Successful ?? []) outcome.published.push(entryOf(pending, ok.Id).key);
    const retry: OutgoingMessage[] = [];
    for (const failure of response.Failed ?? []) {
      const message = entryOf(pending, failure.Id);
      const error = `${failure.Code ?? "Failed"}: ${failure.Message ?? ""}`.trim();
      if (failure.SenderFault) outcome.failed.push({ key: message.key, error, permanent: true });
      else if (attempt >= maxAttempts) outcome.failed.push({ key: message.key, error, permanent: false });
      else retry.push(message);
    }
    pending = retry;
    if (pending.length > 0) await delay((options.retryDelayMs ?? 50) * 2 ** (attempt - 1));
  }
}

function entryOf(pending: OutgoingMessage[], id: string | undefined): OutgoingMessage {
  const message = pending[Number(id)];
  if (!message) throw new Error(`SQS answered for an unknown batch entry id "${id}"`);
  return message;
}

/** Groups messages into batches within SQS's count and size limits; oversized ones fail up front. */
function toBatches(messages: readonly OutgoingMessage[], outcome: PublishOutcome): OutgoingMessage[][] {
  const batches: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.body) + Buffer.byteLength(JSON.stringify(message.attributes ?? {}));
    if (size > MAX_BATCH_BYTES) {
      outcome.failed.push({ key: message.key, error: `message of ${size} bytes exceeds SQS limit`, permanent: true });
      continue;
    }
    if (current.length === MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function toAttributes(attributes: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
  );
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
