import {
  chunk,
  inList,
  placeholders,
  ROWS_PER_STATEMENT,
  readDate,
  type ServiceDatabase,
  type SqlExecutor,
  type StoredDate,
} from "@smartrecover/db-kit";

/** A message to publish: one per high-priority debtor of a batch. */
export interface OutboxRow {
  messageId: string;
  debtorId: number;
  payload: string;
}

export interface PendingOutboxRow extends OutboxRow {
  id: number;
}

/** Ids per `IN (…)` list: well below both dialects' placeholder limits. */
const IDS_PER_STATEMENT = 1000;
const MAX_ERROR_LENGTH = 1000;

/**
 * The only code that writes `outbox_messages`: rows with `published_at IS NULL` are pending.
 * Plain SQL, identical on SQLite and MySQL, served by the (published_at, id) index.
 */
export class OutboxRepository {
  constructor(private readonly db: ServiceDatabase) {}

  /** Adds a batch's messages in the batch's transaction (the transactional outbox). */
  async insert(tx: SqlExecutor, runId: string, rows: readonly OutboxRow[], at: Date): Promise<void> {
    for (const part of chunk(rows, ROWS_PER_STATEMENT)) {
      await tx.execute(
        `INSERT INTO outbox_messages (message_id, run_id, debtor_id, payload, created_at, attempts) VALUES ${placeholders(6, part.length)}`,
        part.flatMap((row) => [row.messageId, runId, row.debtorId, row.payload, at, 0]),
      );
    }
  }

  /** Pending rows after `afterId`, oldest first (keyset pagination: a failing row cannot stall a flush). */
  async pendingPage(afterId: number, limit: number): Promise<PendingOutboxRow[]> {
    const rows = await this.db.query<{
      id: number | bigint;
      message_id: string;
      debtor_id: number | bigint;
      payload: string;
    }>(
      "SELECT id, message_id, debtor_id, payload FROM outbox_messages WHERE published_at IS NULL AND id > ? ORDER BY id LIMIT ?",
      [afterId, limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      messageId: row.message_id,
      debtorId: Number(row.debtor_id),
      payload: row.payload,
    }));
  }

  /**
   * Marks rows published once SQS accepted them. A row another relay already marked keeps its
   * first timestamp; the duplicate send is harmless to the idempotent consumer.
   */
  async markPublished(ids: readonly number[], at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const part of chunk(ids, IDS_PER_STATEMENT)) {
        await tx.execute(
          `UPDATE outbox_messages SET published_at = ?, attempts = attempts + 1, last_error = NULL
            WHERE published_at IS NULL AND id IN ${inList(part.length)}`,
          [at, ...part],
        );
      }
    });
  }

  /** Counts a failed attempt and keeps the reason; the rows stay pending. */
  async recordFailures(failures: ReadonlyArray<{ id: number; error: string }>): Promise<void> {
    const byError = new Map<string, number[]>();
    for (const { id, error } of failures) {
      const reason = error.slice(0, MAX_ERROR_LENGTH);
      const ids = byError.get(reason);
      if (ids) ids.push(id);
      else byError.set(reason, [id]);
    }
    await this.db.transaction(async (tx) => {
      for (const [error, ids] of byError) {
        for (const part of chunk(ids, IDS_PER_STATEMENT)) {
          await tx.execute(
            `UPDATE outbox_messages SET attempts = attempts + 1, last_error = ? WHERE id IN ${inList(part.length)}`,
            [error, ...part],
          );
        }
      }
    });
  }

  async countPending(): Promise<number> {
    const [row] = await this.db.query<{ pending: number | bigint }>(
      "SELECT COUNT(*) AS pending FROM outbox_messages WHERE published_at IS NULL",
    );
    return Number(row?.pending ?? 0);
  }

  /** Pending rows and when the oldest was written (the backlog a scrape reports); walks the (published_at, id) index. */
  async pendingBacklog(): Promise<{ pending: number; oldestCreatedAt: Date | null }> {
    const [row] = await this.db.query<{ pending: number | bigint; oldest: StoredDate | null }>(
      "SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM outbox_messages WHERE published_at IS NULL",
    );
    return { pending: Number(row?.pending ?? 0), oldestCreatedAt: readDate(row?.oldest ?? null) };
  }
}
