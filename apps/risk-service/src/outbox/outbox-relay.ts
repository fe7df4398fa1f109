import type { QueueConnection } from "@smartrecover/queue";
import type { RiskDatabase } from "../db/risk-database";
import { type FlushOptions, flushOutbox, type OutboxFlushReport } from "./outbox-flush";

export interface OutboxRelayOptions extends Omit<FlushOptions, "signal"> {
  /** Pause between flushes when the outbox is empty (default 1000 ms). */
  intervalMs?: number;
  /** Longest pause after failures; pauses double from intervalMs up to this (default 30 s). */
  maxBackoffMs?: number;
  /** Called after every flush, e.g. to update metrics. */
  onFlush?: (report: OutboxFlushReport) => void;
}

/**
 * The service's background publisher: flushes the outbox, sleeps, repeats. Rows a run could
 * not publish (SQS down) are picked up here once SQS is back. After a failure it backs off.
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private abort = new AbortController();
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly db: RiskDatabase,
    private readonly queues: QueueConnection,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.loop();
  }

  /** Flush now instead of at the next tick (e.g. right after a batch committed outbox rows). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops after the current page; resolves once the relay is idle. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    const interval = this.options.intervalMs ?? 1000;
    let pause = interval;
    while (!this.abort.signal.aborted) {
      try {
        const report = await flushOutbox(this.db, this.queues, { ...this.options, signal: this.abort.signal });
        this.options.onFlush?.(report);
        pause = report.error ? Math.min(pause * 2, this.options.maxBackoffMs ?? 30_000) : interval;
      } catch (error) {
        // The database itself failed (flush errors from SQS come back in the report).
        this.options.logger?.warn({ error: (error as Error).message }, "outbox relay flush failed");
        pause = Math.min(pause * 2, this.options.maxBackoffMs ?? 30_000);
      }
      await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      // Never keep the process alive just to poll the outbox.
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
