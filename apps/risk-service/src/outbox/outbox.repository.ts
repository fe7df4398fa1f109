import type { RiskDatabase } from "../db/risk-database";
import { chunk } from "../db/sql-dialect";

export interface PendingOutboxRow {
  id: number;
  messageId: string;
  payload: string;
}

/** Ids per `IN (…)` list: well below both dialects' placeholder limits. */
const IDS_PER_STATEMENT = 1000;
const MAX_ERROR_LENGTH = 1000;

const inList = (count: number) => Array.from({ length: count }, () => "?").join(", ");

/**
 * The relay's view of `outbox_messages`: rows with `published_at IS NULL` are pending. Plain
 * SQL, identical on SQLite and MySQL, served by the (published_at, id) index.
 */
export class OutboxRepository {
  constructor(private readonly db: RiskDatabase) {}

  /** Pending rows after `afterId`, oldest first (keyset pagination: a failing row cannot stall a flush). */
  async pendingPage(afterId: number, limit: number): Promise<PendingOutboxRow[]> {
    const rows = await this.db.sql.query<{ id: number | bigint; message_id: string; payload: string }>(
      "SELECT id, message_id, payload FROM outbox_messages WHERE published_at IS NULL AND id > ? ORDER BY id LIMIT ?",
      [afterId, limit],
    );
    return rows.map((row) => ({ id: Number(row.id), messageId: row.message_id, payload: row.payload }));
  }

  /**
   * Marks rows published once SQS accepted them. A row another relay already marked keeps its
   * first timestamp; the duplicate send is harmless to the idempotent consumer.
   */
  async markPublished(ids: readonly number[], at: Date): Promise<void> {
    await this.db.transaction(
      chunk(ids, IDS_PER_STATEMENT).map((part) => ({
        sql: `UPDATE outbox_messages SET published_at = ?, attempts = attempts + 1, last_error = NULL
          WHERE published_at IS NULL AND id IN (${inList(part.length)})`,
        params: [at, ...part],
      })),
    );
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
    await this.db.transaction(
      [...byError].flatMap(([error, ids]) =>
        chunk(ids, IDS_PER_STATEMENT).map((part) => ({
          sql: `UPDATE outbox_messages SET attempts = attempts + 1, last_error = ? WHERE id IN (${inList(part.length)})`,
          params: [error, ...part],
        })),
      ),
    );
  }

  async countPending(): Promise<number> {
    const [row] = await this.db.sql.query<{ pending: number | bigint }>(
      "SELECT COUNT(*) AS pending FROM outbox_messages WHERE published_at IS NULL",
    );
    return Number(row?.pending ?? 0);
  }
}
