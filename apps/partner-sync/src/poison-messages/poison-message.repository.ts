import { readDate, type ServiceDatabase, type SqlExecutor, type StoredDate, upsertSql } from "@smartrecover/db-kit";

// The only module that writes poison_messages.

export interface PoisonMessageInput {
  sqsMessageId: string;
  body: string;
  reason: string;
  receiveCount?: number;
}

// The body is kept whole for the operator, but bounded: SQS bodies are at most 256 KiB.
const MAX_BODY_CHARS = 262_144;
const MAX_REASON_CHARS = 4_000;

/**
 * Records a message that cannot be applied. Recording the same SQS message again (a crash
 * between recording and deleting it) updates the row instead of adding one.
 */
export async function recordPoisonMessage(db: ServiceDatabase, input: PoisonMessageInput, now: Date) {
  const columns = [
    "sqs_message_id",
    "message_id",
    "body",
    "reason",
    "receive_count",
    "first_recorded_at",
    "last_recorded_at",
  ];
  // first_recorded_at keeps its original value on a repeat.
  const updates = columns.filter((column) => column !== "sqs_message_id" && column !== "first_recorded_at");
  const sql = upsertSql(db.dialect, "poison_messages", columns, ["sqs_message_id"], 1, updates);
  await db.transaction((tx) =>
    tx.execute(sql, [
      input.sqsMessageId,
      messageIdOf(input.body),
      input.body.slice(0, MAX_BODY_CHARS),
      input.reason.slice(0, MAX_REASON_CHARS),
      input.receiveCount ?? null,
      now,
      now,
    ]),
  );
}

/** The message_id of a body that is JSON but failed the schema, so operators can search for it. */
function messageIdOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && "message_id" in parsed) {
      const id = (parsed as { message_id: unknown }).message_id;
      if (typeof id === "string" && id.length > 0 && id.length <= 64) return id;
    }
  } catch {
    // Not JSON: there is no message id to keep.
  }
  return null;
}

export interface PoisonMessageRow {
  id: number;
  sqsMessageId: string;
  messageId: string | null;
  body: string;
  reason: string;
  receiveCount: number | null;
  firstRecordedAt: Date;
  lastRecordedAt: Date;
}

/** The most recently recorded poison messages first. */
export async function listPoisonMessages(db: SqlExecutor, limit: number): Promise<PoisonMessageRow[]> {
  const rows = await db.query<{
    id: number | bigint;
    sqs_message_id: string;
    message_id: string | null;
    body: string;
    reason: string;
    receive_count: number | bigint | null;
    first_recorded_at: StoredDate;
    last_recorded_at: StoredDate;
  }>(
    `SELECT id, sqs_message_id, message_id, body, reason, receive_count, first_recorded_at, last_recorded_at
       FROM poison_messages ORDER BY id DESC LIMIT ?`,
    [limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    sqsMessageId: row.sqs_message_id,
    messageId: row.message_id,
    body: row.body,
    reason: row.reason,
    receiveCount: row.receive_count === null ? null : Number(row.receive_count),
    firstRecordedAt: readDate(row.first_recorded_at),
    lastRecordedAt: readDate(row.last_recorded_at),
  }));
}
