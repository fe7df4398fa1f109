import type { SqlExecutor } from "@smartrecover/db-kit";
import { listPoisonMessages } from "./poison-message.repository";
import type { PoisonMessage } from "./poison-message.schemas";

/** What the consumer could never apply and dead-lettered at once, for operators. */
export class PoisonMessageService {
  constructor(private readonly db: SqlExecutor) {}

  /** The most recently recorded first; bodies only when asked (they may hold personal data). */
  async list(limit: number, withBodies: boolean): Promise<PoisonMessage[]> {
    const rows = await listPoisonMessages(this.db, limit);
    return rows.map((row) => ({
      id: row.id,
      sqs_message_id: row.sqsMessageId,
      message_id: row.messageId,
      reason: row.reason,
      receive_count: row.receiveCount,
      first_recorded_at: row.firstRecordedAt.toISOString(),
      last_recorded_at: row.lastRecordedAt.toISOString(),
      ...(withBodies ? { body: row.body } : {}),
    }));
  }
}
