import type { PartnerSyncDatabase } from "../db/partner-sync-database";
import { upsertSql } from "../db/sql-dialect";

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
export async function recordPoisonMessage(db: PartnerSyncDatabase, input: PoisonMessageInput, now: Date) {
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
    tx.execute(
      sql,
      input.sqsMessageId,
      messageIdOf(input.body),
      input.body.slice(0, MAX_BODY_CHARS),
      input.reason.slice(0, MAX_REASON_CHARS),
      input.receiveCount ?? null,
      now,
      now,
    ),
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
export async function listPoisonMessages(db: PartnerSyncDatabase, limit: number): Promise<PoisonMessageRow[]> {
  return db.prisma.poisonMessage.findMany({ orderBy: { id: "desc" }, take: limit });
}
