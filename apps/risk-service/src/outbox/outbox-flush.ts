import { type PublishOutcome, publishMessages, type QueueConnection } from "@smartrecover/queue";
import type { Logger } from "@smartrecover/service-kit";
import type { RiskDatabase } from "../db/risk-database";
import { OutboxRepository, type PendingOutboxRow } from "./outbox.repository";

export interface OutboxFlushReport {
  /** Rows SQS accepted during this flush (now marked published). */
  published: number;
  /** Rows still unpublished when the flush ended, from any run. */
  pending: number;
  /** Why the flush stopped early (SQS unreachable, …); the pending rows wait for the next flush. */
  error?: string;
}

export interface FlushOptions {
  logger?: Logger;
  signal?: AbortSignal;
  /** Rows read per query (default 1000). */
  pageSize?: number;
  /** SendMessageBatch calls in flight (default 8). */
  concurrency?: number;
}

/**
 * Publishes every pending outbox row once: reads pages in id order, sends them with
 * SendMessageBatch, and marks a row published only after SQS accepted it. The next page is
 * read while the current one is sent, and marking overlaps the next send. If SQS cannot be
 * reached the flush stops and reports what is still pending; nothing is lost or marked.
 */
export async function flushOutbox(
  db: RiskDatabase,
  queues: QueueConnection,
  options: FlushOptions = {},
): Promise<OutboxFlushReport> {
  const repository = new OutboxRepository(db);
  const pageSize = options.pageSize ?? 1000;
  const started = performance.now();
  let published = 0;
  let error: string | undefined;
  // Marking a page runs while the next page is sent; its failure is held here, never left unhandled.
  let marking: Promise<unknown> = Promise.resolve();
  let markingError: unknown;
  const markInBackground = (outcome: PublishOutcome) => {
    marking = record(repository, outcome).then(
      () => {
        published += outcome.published.length;
      },
      (cause: unknown) => {
        markingError ??= cause;
      },
    );
  };
  try {
    const { queueUrl } = await queues.urls();
    let page = await repository.pendingPage(0, pageSize);
    while (page.length > 0 && !options.signal?.aborted && markingError === undefined) {
      const lastId = (page[page.length - 1] as PendingOutboxRow).id;
      const nextPage = repository.pendingPage(lastId, pageSize);
      nextPage.catch(() => undefined);
      const outcome = await publishMessages(
        queues.sqs,
        queueUrl,
        page.map((row) => ({ key: String(row.id), body: row.payload })),
        { concurrency: options.concurrency ?? 8, signal: options.signal },
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
  const pending = await repository.countPending();
  const seconds = (performance.now() - started) / 1000;
  if (error) options.logger?.warn({ published, pending, error }, "outbox flush stopped early; rows stay pending");
  else if (published > 0) options.logger?.info({ published, pending, seconds }, "outbox flushed");
  return error === undefined ? { published, pending } : { published, pending, error };
}

async function record(repository: OutboxRepository, outcome: PublishOutcome): Promise<void> {
  if (outcome.published.length > 0) await repository.markPublished(outcome.published.map(Number), new Date());
  if (outcome.failed.length > 0) {
    await repository.recordFailures(outcome.failed.map((f) => ({ id: Number(f.key), error: f.error })));
  }
}
