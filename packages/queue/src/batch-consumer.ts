import { setTimeout as sleep } from "node:timers/promises";
import type { QueueConnection } from "./queue-connection";
import {
  changeVisibility,
  deleteMessages,
  type ReceivedMessage,
  receiveMessages,
  sendToDeadLetterQueue,
} from "./queue-operations";
import { type QueueUrls, queueDepth } from "./queue-setup";

/** What to do with one message once the handler is done with it. */
export type MessageVerdict =
  | { action: "delete" }
  | { action: "retry"; reason: string }
  | { action: "dead-letter"; reason: string };

/** Returns one verdict per message, in order. Throwing means "retry them all". */
export type BatchHandler = (messages: ReceivedMessage[]) => Promise<MessageVerdict[]>;

/** The subset of a pino logger the consumer uses. */
export interface QueueLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface BatchConsumerOptions {
  /** Receive loops running in parallel, each with at most one batch in flight. */
  concurrency: number;
  /** Messages per ReceiveMessage call (1–10). */
  batchSize: number;
  visibilityTimeoutSeconds: number;
  /** Long-poll wait (default 20 s, SQS's maximum). */
  waitTimeSeconds?: number;
  /** Visibility is extended every this many seconds while a batch is worked on (default a third of the timeout). */
  heartbeatSeconds?: number;
  /** Invisibility after a retry verdict (default 2^(receives−1) s, capped by the visibility timeout). */
  retryDelaySeconds?: (receiveCount: number) => number;
  logger?: QueueLogger;
}

export interface ConsumerStats {
  received: number;
  deleted: number;
  retried: number;
  deadLettered: number;
  receiveErrors: number;
}

/**
 * Long-polls a queue with several receive loops and hands each batch to a handler. A message is
 * deleted only after the handler returned "delete" for it (its effects are committed); "retry"
 * leaves it for redelivery, so SQS dead-letters it after maxReceiveCount; "dead-letter" sends it
 * to the DLQ at once. stop() ends polling, lets in-flight batches finish, then resolves.
 */
export class BatchConsumer {
  readonly stats: ConsumerStats = { received: 0, deleted: 0, retried: 0, deadLettered: 0, receiveErrors: 0 };
  private stopping = false;
  /** Ends back-off pauses at stop. */
  private readonly stopped = new AbortController();
  /** Aborts pending long polls (and only those) when stopping without waiting for them. */
  private readonly polls = new AbortController();
  private workers: Promise<void>[] = [];
  private inFlight = 0;

  constructor(
    private readonly queues: QueueConnection,
    private readonly handler: BatchHandler,
    private readonly options: BatchConsumerOptions,
  ) {}

  /** Resolves the queues (fails if SQS is unreachable) and starts the receive loops. */
  async start(): Promise<void> {
    if (this.workers.length > 0) return;
    const urls = await this.queues.urls();
    this.workers = Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.work(urls));
    this.options.logger?.info({ concurrency: this.options.concurrency }, "consumer started");
  }

  /**
   * Resolves once the queue has no visible, in-flight or delayed message and no batch is being
   * worked on here, seen twice in a row (AWS's approximate counters can lag a moment). Polls the
   * queue's counters, so idle long polls do not delay it. Also resolves when the consumer stops.
   */
  waitUntilDrained(intervalMs = 250): Promise<void> {
    return new Promise((resolve) => {
      let emptyChecks = 0;
      const check = async () => {
        if (this.stopping) return resolve();
        const depth =
          this.inFlight === 0
            ? await queueDepth(this.queues.sqs, (await this.queues.urls()).queueUrl).catch(() => undefined)
            : undefined;
        const empty =
          depth !== undefined && this.inFlight === 0 && depth.visible + depth.inFlight + depth.delayed === 0;
        emptyChecks = empty ? emptyChecks + 1 : 0;
        if (emptyChecks >= 2) return resolve();
        setTimeout(check, intervalMs);
      };
      setTimeout(check, intervalMs);
    });
  }

  /**
   * Stops polling and waits for in-flight batches to commit and settle. By default pending long
   * polls are aborted, for a prompt shutdown; SQS may already have handed such a poll up to
   * batchSize messages, which then reappear after the visibility timeout (delayed, not lost).
   * With `waitForPolls` (short polls, e.g. --until-empty) the polls finish and anything they
   * received is processed first.
   */
  async stop(options: { waitForPolls?: boolean } = {}): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    if (!options.waitForPolls) this.polls.abort();
    await Promise.all(this.workers);
    this.options.logger?.info({ ...this.stats }, "consumer stopped");
  }

  private async work(urls: QueueUrls): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let batch: ReceivedMessage[];
      try {
        batch = await receiveMessages(this.queues.sqs, urls.queueUrl, {
          max: this.options.batchSize,
          waitTimeSeconds: this.options.waitTimeSeconds ?? 20,
          visibilityTimeoutSeconds: this.options.visibilityTimeoutSeconds,
          signal: this.polls.signal,
        });
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        this.stats.receiveErrors += 1;
        failures += 1;
        this.options.logger?.warn({ error: (error as Error).message }, "receive failed; backing off");
        await sleep(Math.min(500 * 2 ** failures, 30_000), undefined, { signal: this.stopped.signal }).catch(() => {});
        continue;
      }
      if (batch.length === 0) continue;
      this.inFlight += 1;
      try {
        await this.process(urls, batch);
      } finally {
        this.inFlight -= 1;
      }
    }
  }

  private async process(urls: QueueUrls, batch: ReceivedMessage[]): Promise<void> {
    this.stats.received += batch.length;
    const stopHeartbeat = this.startHeartbeat(urls.queueUrl, batch);
    try {
      const verdicts = await this.judge(batch);
      const remove: ReceivedMessage[] = [];
      const retry: Array<{ message: ReceivedMessage; reason: string }> = [];
      const deadLetter: Array<{ message: ReceivedMessage; reason: string }> = [];
      batch.forEach((message, i) => {
        const verdict = verdicts[i] as MessageVerdict;
        if (verdict.action === "delete") remove.push(message);
        else if (verdict.action === "retry") retry.push({ message, reason: verdict.reason });
        else deadLetter.push({ message, reason: verdict.reason });
      });
      if (deadLetter.length > 0) {
        const moved = await sendToDeadLetterQueue(this.queues.sqs, urls.dlqUrl, deadLetter);
        remove.push(...moved);
        this.stats.deadLettered += moved.length;
      }
      if (remove.length > 0) {
        const notDeleted = await deleteMessages(this.queues.sqs, urls.queueUrl, remove);
        this.stats.deleted += remove.length - notDeleted;
      }
      if (retry.length > 0) {
        this.stats.retried += retry.length;
        const delay = this.options.retryDelaySeconds ?? ((n: number) => 2 ** Math.max(0, n - 1));
        const cap = this.options.visibilityTimeoutSeconds;
        await changeVisibility(
          this.queues.sqs,
          urls.queueUrl,
          retry.map(({ message }) => ({ message, seconds: Math.min(cap, delay(message.receiveCount)) })),
        );
      }
    } catch (error) {
      // SQS failed after the handler: undeleted messages come back and are recognised as duplicates.
      this.options.logger?.warn({ error: (error as Error).message }, "could not settle a batch with SQS");
    } finally {
      stopHeartbeat();
    }
  }

  private async judge(batch: ReceivedMessage[]): Promise<MessageVerdict[]> {
    try {
      const verdicts = await this.handler(batch);
      if (verdicts.length !== batch.length) throw new Error(`handler returned ${verdicts.length} verdicts`);
      return verdicts;
    } catch (error) {
      const reason = (error as Error).message;
      this.options.logger?.warn({ messages: batch.length, error: reason }, "batch failed; left for redelivery");
      return batch.map(() => ({ action: "retry", reason }));
    }
  }

  private startHeartbeat(queueUrl: string, batch: ReceivedMessage[]): () => void {
    const every = this.options.heartbeatSeconds ?? Math.max(1, Math.floor(this.options.visibilityTimeoutSeconds / 3));
    const seconds = this.options.visibilityTimeoutSeconds;
    const timer = setInterval(() => {
      changeVisibility(
        this.queues.sqs,
        queueUrl,
        batch.map((message) => ({ message, seconds })),
      ).catch((error: Error) => this.options.logger?.warn({ error: error.message }, "visibility extension failed"));
    }, every * 1000);
    return () => clearInterval(timer);
  }
}
