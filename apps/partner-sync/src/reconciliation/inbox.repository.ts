import { inList, placeholders, type SqlExecutor } from "@smartrecover/db-kit";

// The only module that writes inbox_messages: the ids of messages already handled, written in
// the same transaction as their effects, so a redelivered message finds its id here.

export interface InboxRow {
  messageId: string;
  debtorId: number;
  outcome: "applied" | "stale";
  processedAt: Date;
}

/** Which of these message ids were handled before. */
export async function handledMessageIds(tx: SqlExecutor, messageIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.query<{ message_id: string }>(
    `SELECT message_id FROM inbox_messages WHERE message_id IN ${inList(messageIds.length)}`,
    messageIds,
  );
  return new Set(rows.map((row) => row.message_id));
}

export async function recordHandled(tx: SqlExecutor, rows: readonly InboxRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(
    `INSERT INTO inbox_messages (message_id, debtor_id, outcome, processed_at, applied_at) VALUES ${placeholders(5, rows.length)}`,
    rows.flatMap((row) => [row.messageId, row.debtorId, row.outcome, row.processedAt, now]),
  );
}
