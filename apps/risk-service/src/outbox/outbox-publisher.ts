import { type PublishOutcome, publishMessages, type QueueConnection } from "@smartrecover/queue";
import { type Logger, MESSAGE_SIGNATURE_ATTRIBUTE, signMessageBody } from "@smartrecover/service-kit";
import type { OutboxRepository, PendingOutboxRow } from "./outbox.repository";

export interface OutboxFlushReport {
  /** Rows SQS accepted (now marked published): in one flush, or since `start()` for `finish()`. */
  published: number;
  /** Rows still unpublished when the flush ended, from any run. */
  pending: number;
  /** Why the flush stopped early (SQS unreachable, …); the pending rows wait for the next flush. */
  error?: string;
}

export interface OutboxPublisherOptions {
  logger?: Logger;
  /** Rows read per query (default 1000). */
  pageSize?: number;
  /** SendMessageBatch calls in flight (default 8). */
  concurrency?: number;
  /** Pause between background flushes (default 1000 ms); `wake()` cuts it short. */
  intervalMs?: number;
  /** Longest pause after failures; pauses double from intervalMs up to this (default 30 s). */
  maxBackoffMs?: number;
  /** Called after every flush, e.g. to update metrics. */
  onFlush?: (report: OutboxFlushReport) => void;
  /** MESSAGE_SIGNING_KEY: each body goes out with its HMAC in a message attribute (partner-sync checks it). */
  signingKey?: string;
}

/**
 * The one outbox publisher: the service's background relay, process-debtors' final flush and the
 * demo's publish-while-processing all go through it. A flush publishes every pending row once:
 * pages in id order, SendMessageBatch, and a row is marked published only after SQS accepted it.
 * The next page is read while the current one is sent, and marking overlaps the next send. If SQS
 * cannot be reached the flush stops and reports what is still pending; nothing is lost or marked.
 */
export class OutboxPublisher {
  private running: Promise<void> | undefined;
  private abort = new AbortController();
  private finishing = false;
  private wakeUp: (() => void) | undefined;
  private publishedSinceStart = 0;
  private publishedEver = 0;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly queues: QueueConnection,
    private readonly options: OutboxPublisherOptions = {},
  ) {}

  private outgoing(row: PendingOutboxRow) {
    const key = this.options.signingKey;
    if (key === undefined) return { key: String(row.id), body: row.payload };
    return {
      key: String(row.id),
      body: row.payload,
      attributes: { [MESSAGE_SIGNATURE_ATTRIBUTE]: signMessageBody(row.payload, key) },
    };
  }

  /** Publishes the rows pending now; `signal` stops it after the current page. */
  async flush(signal?: AbortSignal): Promise<OutboxFlushReport> {
    const pageSize = this.options.pageSize ?? 1000;
    const started = performance.now();
    let published = 0;
    let error: string | undefined;
    // Marking a page runs while the next page is sent; its failure is held here, never left unhandled.
    let marking: Promise<unknown> = Promise.resolve();
    let markingError: unknown;
    const markInBackground = (outcome: PublishOutcome) => {
      marking = this.record(outcome).then(
        () => {
          published += outcome.published.length;
        },
        (cause: unknown) => {
          markingError ??= cause;
        },
      );
    };
    try {
      const { queueUrl } = await this.queues.urls();
      let page = await this.outbox.pendingPage(0, pageSize);
      while (page.length > 0 && !signal?.aborted && markingError === undefined) {
        const lastId = (page[page.length - 1] as PendingOutboxRow).id;
        const nextPage = this.outbox.pendingPage(lastId, pageSize);
        nextPage.catch(() => undefined);
        const outcome = await publishMessages(
          this.queues.sqs,
          queueUrl,
          page.map((row) => this.outgoing(row)),
          { concurrency: this.options.concurrency ?? 8, signal },
        );
        await marking;
        markInBackground(outcome);
        if (outcome.halted !== undefined) {
          error = `SQS unavailable: ${outcome.halted}`;
          break;
        }
        page = await nextPage;
      }
      await marking;
      if (markingError !== undefined) throw markingError;
    } catch (cause) {
      error ??= (cause as Error).message;
    }
    this.publishedSinceStart += published;
    this.publishedEver += published;
    const pending = await this.outbox.countPending();
    const seconds = (performance.now() - started) / 1000;
    const { logger } = this.options;
    if (error) logger?.warn({ published, pending, error }, "outbox flush stopped early; rows stay pending");
    else if (published > 0) logger?.info({ published, pending, seconds }, "outbox flushed");
    const report = error === undefined ? { published, pending } : { published, pending, error };
    this.options.onFlush?.(report);
    return report;
  }

  /** Rows this publisher has marked published since it was created (risk_outbox_published_total). */
  get publishedTotal(): number {
    return this.publishedEver;
  }

  /** Flushes in the background until `stop()` or `finish()`; rows a run could not publish are picked up here. */
  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.finishing = false;
    this.publishedSinceStart = 0;
    this.running = this.loop();
  }

  /** Flush now instead of at the next tick (e.g. right after a batch committed outbox rows). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops after the current page; resolves once the publisher is idle. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
  }

  /**
   * Lets the current flush end (cutting a send short would send those rows again), flushes once
   * more for rows committed since, and reports everything published since `start()`.
   */
  async finish(): Promise<OutboxFlushReport> {
    this.finishing = true;
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
    const last = await this.flush();
    return { ...last, published: this.publishedSinceStart };
  }

  private async loop(): Promise<void> {
    const interval = this.options.intervalMs ?? 1000;
    const longest = this.options.maxBackoffMs ?? 30_000;
    let pause = interval;
    while (!this.abort.signal.aborted && !this.finishing) {
      try {
        const report = await this.flush(this.abort.signal);
        pause = report.error ? Math.min(pause * 2, longest) : interval;
      } catch (error) {
        // The database itself failed (SQS failures come back in the report).
        this.options.logger?.warn({ error: (error as Error).message }, "outbox relay flush failed");
        pause = Math.min(pause * 2, longest);
      }
      await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.abort.signal.aborted || this.finishing) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      // Never keep the process alive just to poll the outbox.
      timer.unref();
      this.wakeUp = done;
    });
  }

  private async record(outcome: PublishOutcome): Promise<void> {
    if (outcome.published.length > 0) await this.outbox.markPublished(outcome.published.map(Number), new Date());
    if (outcome.failed.length > 0) {
      await this.outbox.recordFailures(outcome.failed.map((f) => ({ id: Number(f.key), error: f.error })));
    }
  }
}
