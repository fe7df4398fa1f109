import { EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { type MessageHandling, type Settlement, settleBatch } from "./message-handling";
import { type ConsumerCounters, type CounterName, OUTCOME_COUNTER, zeroCounters } from "./message-outcome";
import type { QueueConnection } from "./queue-connection";
import {
  changeVisibility,
  deleteMessages,
  type ReceivedMessage,
  receiveMessages,
  sendToDeadLetterQueue,
} from "./queue-operations";
import { type QueueUrls, queueDepth } from "./queue-setup";

/** The subset of a pino logger the consumer uses. */
export interface QueueLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ConsumerOptions {
  /** Receive loops running in parallel. */
  concurrency: number;
  /**
   * Batches received but not yet settled, across all loops (default four per loop): a loop
   * receives its next batch while its previous one is still being handled, so a handler that
   * commits batches in groups always finds the next group waiting.
   */
  maxBatchesInFlight?: number;
  /** Messages per ReceiveMessage call (1–10). */
  batchSize: number;
  visibilityTimeoutSeconds: number;
  /** Long-poll wait (default 20 s, SQS's maximum). */
  waitTimeSeconds?: number;
  /** Visibility is extended every this many seconds while a batch is worked on (default a third of the timeout). */
  heartbeatSeconds?: number;
  /** Invisibility after a retryLater outcome (default 2^(receives−1) s, capped by the visibility timeout). */
  retryDelaySeconds?: (receiveCount: number) => number;
  logger?: QueueLogger;
}

/** What the consumer tells observers (tests wait on these instead of on the clock). */
export interface ConsumerEvents {
  /** A batch's outcomes, once SQS was told (deleted, dead-lettered or left for redelivery). */
  settled: [settlements: readonly Settlement[]];
  /** The visibility of a batch still being worked on was extended. */
  heartbeat: [messages: number];
  /** A pending long poll was cut short because the consumer stopped. */
  pollAborted: [];
}

/**
 * Long-polls a queue with several receive loops, decodes each batch against the message schema
 * and hands the valid messages to the service's handler, which returns one outcome per message
 * (message-outcome.ts). A message is deleted only once its outcome says its effects are
 * committed or that there are none; poison is recorded through the service's hook and
 * dead-lettered at once; retryLater waits for redelivery. Receiving does not wait for earlier
 * batches to be handled (up to maxBatchesInFlight). stop() ends polling, lets in-flight batches
 * finish, then resolves.
 */
export class MessageConsumer<T> extends EventEmitter<ConsumerEvents> {
  readonly #counters = zeroCounters();
  #stopping = false;
  /** Ends back-off pauses at stop. */
  readonly #stopped = new AbortController();
  /** Aborts pending long polls (and only those) when stopping without waiting for them. */
  readonly #polls = new AbortController();
  #workers: Promise<void>[] = [];
  /** Batches being handled or settled. */
  readonly #inFlight = new Set<Promise<void>>();
  /** Loops waiting for a batch to settle before they may receive again. */
  #waiting: Array<() => void> = [];

  constructor(
    private readonly queues: QueueConnection,
    private readonly handling: MessageHandling<T>,
    private readonly options: ConsumerOptions,
  ) {
    super();
  }

  /** A snapshot of the counters (monotonically increasing since the consumer was created). */
  counters(): ConsumerCounters {
    return { ...this.#counters };
  }

  /** Resolves the queues (fails if SQS is unreachable) and starts the receive loops. */
  async start(): Promise<void> {
    if (this.#workers.length > 0) return;
    const urls = await this.queues.urls();
    this.#workers = Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.#work(urls));
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
        if (this.#stopping) return resolve();
        const depth =
          this.#inFlight.size === 0
            ? await queueDepth(this.queues.sqs, (await this.queues.urls()).queueUrl).catch(() => undefined)
            : undefined;
        const empty =
          depth !== undefined && this.#inFlight.size === 0 && depth.visible + depth.inFlight + depth.delayed === 0;
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
    const first = !this.#stopping;
    this.#stopping = true;
    this.#stopped.abort();
    if (!options.waitForPolls) this.#polls.abort();
    for (const wake of this.#waiting.splice(0)) wake();
    await Promise.all(this.#workers);
    await Promise.all(this.#inFlight);
    if (first) this.options.logger?.info(this.counters(), "consumer stopped");
  }

  #count(name: CounterName, by = 1): void {
    this.#counters[name] += by;
  }

  /** Resolves once fewer than maxBatchesInFlight batches are unsettled (or the consumer stops). */
  async #slot(): Promise<void> {
    const limit = this.options.maxBatchesInFlight ?? 4 * Math.max(1, this.options.concurrency);
    while (this.#inFlight.size >= limit && !this.#stopping) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  async #work(urls: QueueUrls): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      await this.#slot();
      if (this.#stopping) break;
      let batch: ReceivedMessage[];
      try {
        batch = await receiveMessages(this.queues.sqs, urls.queueUrl, {
          max: this.options.batchSize,
          waitTimeSeconds: this.options.waitTimeSeconds ?? 20,
          visibilityTimeoutSeconds: this.options.visibilityTimeoutSeconds,
          signal: this.#polls.signal,
        });
        failures = 0;
      } catch (error) {
        if (this.#stopping) {
          if (this.#polls.signal.aborted) this.emit("pollAborted");
          break;
        }
        this.#count("receive_errors_total");
        failures += 1;
        this.options.logger?.warn({ error: (error as Error).message }, "receive failed; backing off");
        await sleep(Math.min(500 * 2 ** failures, 30_000), undefined, { signal: this.#stopped.signal }).catch(() => {});
        continue;
      }
      if (batch.length === 0) continue;
      const processing = this.#process(urls, batch).finally(() => {
        this.#inFlight.delete(processing);
        this.#waiting.shift()?.();
      });
      this.#inFlight.add(processing);
    }
  }

  async #process(urls: QueueUrls, batch: ReceivedMessage[]): Promise<void> {
    this.#count("messages_received_total", batch.length);
    const stopHeartbeat = this.#startHeartbeat(urls.queueUrl, batch);
    let settlements: Settlement[] = [];
    try {
      settlements = await settleBatch(batch, this.handling);
      this.#countOutcomes(settlements);
      await this.#tellSqs(urls, settlements);
    } catch (error) {
      // SQS failed after the handler: undeleted messages come back and are recognised as duplicates.
      this.options.logger?.warn({ error: (error as Error).message }, "could not settle a batch with SQS");
    } finally {
      stopHeartbeat();
    }
    this.emit("settled", settlements);
  }

  #countOutcomes(settlements: readonly Settlement[]): void {
    for (const { message, outcome, failed } of settlements) {
      this.#count(OUTCOME_COUNTER[outcome.outcome]);
      if (failed) this.#count("messages_failed_total");
      if (outcome.outcome === "retryLater" || outcome.outcome === "poison") {
        const details = {
          sqsMessageId: message.sqsMessageId,
          receiveCount: message.receiveCount,
          reason: outcome.reason,
        };
        this.options.logger?.warn(
          details,
          outcome.outcome === "poison" ? "poison message dead-lettered" : "message left for redelivery",
        );
      }
    }
  }

  async #tellSqs(urls: QueueUrls, settlements: readonly Settlement[]): Promise<void> {
    const remove: ReceivedMessage[] = [];
    const retry: ReceivedMessage[] = [];
    const deadLetter: Array<{ message: ReceivedMessage; reason: string }> = [];
    for (const { message, outcome } of settlements) {
      if (outcome.outcome === "poison") deadLetter.push({ message, reason: outcome.reason });
      else if (outcome.outcome === "retryLater") retry.push(message);
      else remove.push(message);
    }
    if (deadLetter.length > 0) {
      const moved = await sendToDeadLetterQueue(this.queues.sqs, urls.dlqUrl, deadLetter);
      remove.push(...moved);
      this.#count("messages_dead_lettered_total", moved.length);
    }
    if (remove.length > 0) {
      const notDeleted = await deleteMessages(this.queues.sqs, urls.queueUrl, remove);
      this.#count("messages_deleted_total", remove.length - notDeleted);
    }
    if (retry.length > 0) {
      const delay = this.options.retryDelaySeconds ?? ((n: number) => 2 ** Math.max(0, n - 1));
      const cap = this.options.visibilityTimeoutSeconds;
      await changeVisibility(
        this.queues.sqs,
        urls.queueUrl,
        retry.map((message) => ({ message, seconds: Math.min(cap, delay(message.receiveCount)) })),
      );
    }
  }

  #startHeartbeat(queueUrl: string, batch: ReceivedMessage[]): () => void {
    const every = this.options.heartbeatSeconds ?? Math.max(1, Math.floor(this.options.visibilityTimeoutSeconds / 3));
    const seconds = this.options.visibilityTimeoutSeconds;
    const timer = setInterval(() => {
      changeVisibility(
        this.queues.sqs,
        queueUrl,
        batch.map((message) => ({ message, seconds })),
      ).then(
        () => {
          this.#count("visibility_extensions_total");
          this.emit("heartbeat", batch.length);
        },
        (error: Error) => this.options.logger?.warn({ error: error.message }, "visibility extension failed"),
      );
    }, every * 1000);
    return () => clearInterval(timer);
  }
}
