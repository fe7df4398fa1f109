import { moneyText, readDate, type SqlExecutor, type StoredDate } from "@smartrecover/db-kit";

// Test reads of partner-sync's tables, in plain SQL with their own row shapes: assertions look at
// what is stored, not at what the code under test maps it to. Money and percents as exact text.

/** moneyText, keeping NULL as NULL (SQLite's printf would turn it into "0.00"). */
const money = (db: SqlExecutor, column: string) =>
  `CASE WHEN ${column} IS NULL THEN NULL ELSE ${moneyText(db.dialect, column)} END`;

/** `column = ?` (or a comparison) for each given value, joined by AND. */
function whereOf(conditions: Array<[clause: string, value: unknown]>): { sql: string; params: unknown[] } {
  const given = conditions.filter(([, value]) => value !== undefined);
  return {
    sql: given.length > 0 ? given.map(([clause]) => clause).join(" AND ") : "1 = 1",
    params: given.map(([, value]) => value),
  };
}

const count = async (db: SqlExecutor, sql: string, params: unknown[] = []) => {
  const [row] = await db.query<{ n: number | bigint }>(sql, params);
  return Number(row?.n ?? 0);
};

/** Inbox rows of debtors in [from, to), or all. */
export async function inboxRows(db: SqlExecutor, debtors?: { from: number; to: number }) {
  const rows = await db.query<{ message_id: string; debtor_id: number; outcome: string }>(
    `SELECT message_id, debtor_id, outcome FROM inbox_messages
      ${debtors ? "WHERE debtor_id >= ? AND debtor_id < ?" : ""} ORDER BY debtor_id, message_id`,
    debtors ? [debtors.from, debtors.to] : [],
  );
  return rows.map((row) => ({ messageId: row.message_id, debtorId: Number(row.debtor_id), outcome: row.outcome }));
}

export const inboxCount = (db: SqlExecutor, where = "1 = 1", params: unknown[] = []) =>
  count(db, `SELECT COUNT(*) AS n FROM inbox_messages WHERE ${where}`, params);

export interface StoredSyncRecord {
  debtorId: number;
  partnerName: string;
  internalBalance: string;
  internalStatus: string;
  externalBalance: string | null;
  externalStatus: string | null;
  reconciliationStatus: string;
  lastMessageId: string;
  lastProcessedAt: string;
}

/** Sync records, by debtor, optionally only those of one partner or of debtors in [from, to). */
export async function syncRecords(
  db: SqlExecutor,
  where: { partnerName?: string; from?: number; to?: number } = {},
): Promise<StoredSyncRecord[]> {
  const filter = whereOf([
    ["partner_name = ?", where.partnerName],
    ["debtor_id >= ?", where.from],
    ["debtor_id < ?", where.to],
  ]);
  const rows = await db.query<{
    debtor_id: number;
    partner_name: string;
    internal_balance: string;
    internal_status: string;
    external_balance: string | null;
    external_status: string | null;
    reconciliation_status: string;
    last_message_id: string;
    last_processed_at: StoredDate;
  }>(
    `SELECT debtor_id, partner_name, ${money(db, "internal_balance")} AS internal_balance, internal_status,
            ${money(db, "external_balance")} AS external_balance, external_status, reconciliation_status,
            last_message_id, last_processed_at
       FROM partner_sync_records WHERE ${filter.sql} ORDER BY debtor_id, partner_name`,
    filter.params,
  );
  return rows.map((row) => ({
    debtorId: Number(row.debtor_id),
    partnerName: row.partner_name,
    internalBalance: row.internal_balance,
    internalStatus: row.internal_status,
    externalBalance: row.external_balance,
    externalStatus: row.external_status,
    reconciliationStatus: row.reconciliation_status,
    lastMessageId: row.last_message_id,
    lastProcessedAt: readDate(row.last_processed_at).toISOString(),
  }));
}

export async function syncRecordOf(db: SqlExecutor, debtorId: number): Promise<StoredSyncRecord> {
  const [record] = await syncRecords(db, { from: debtorId, to: debtorId + 1 });
  if (!record) throw new Error(`no sync record for debtor ${debtorId}`);
  return record;
}

/** The partner's book rows of one debtor. */
export async function partnerRecordsOf(db: SqlExecutor, debtorId: number) {
  const rows = await db.query<{ partner_name: string; balance: string; status: string }>(
    `SELECT partner_name, ${money(db, "balance")} AS balance, status
       FROM partner_records WHERE debtor_id = ? ORDER BY id`,
    [debtorId],
  );
  return rows.map((row) => ({ partnerName: row.partner_name, balance: row.balance, status: row.status }));
}

export interface StoredDiscrepancy {
  id: number;
  debtorId: number;
  partnerName: string;
  type: string;
  reviewState: string;
  internalValue: string;
  externalValue: string | null;
  differenceAmount: string | null;
  tolerancePercent: string;
  sourceMessageId: string;
  lastMessageId: string;
  occurrences: number;
  unresolvedFlag: number | null;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  events: Array<{ event: string; fromState: string | null; toState: string; actor: string; messageId: string | null }>;
}

/** Discrepancies (in id order) with their events, optionally of one debtor or one partner. */
export async function discrepancies(
  db: SqlExecutor,
  where: { debtorId?: number; partnerName?: string } = {},
): Promise<StoredDiscrepancy[]> {
  const filter = whereOf([
    ["debtor_id = ?", where.debtorId],
    ["partner_name = ?", where.partnerName],
  ]);
  const rows = await db.query<{
    id: number;
    debtor_id: number;
    partner_name: string;
    type: string;
    review_state: string;
    internal_value: string;
    external_value: string | null;
    difference_amount: string | null;
    tolerance_percent: string | number;
    source_message_id: string;
    last_message_id: string;
    occurrences: number;
    unresolved_flag: number | null;
    first_seen_at: StoredDate;
    last_seen_at: StoredDate;
    resolved_at: StoredDate | null;
  }>(
    `SELECT id, debtor_id, partner_name, type, review_state, internal_value, external_value,
            ${money(db, "difference_amount")} AS difference_amount, tolerance_percent, source_message_id,
            last_message_id, occurrences, unresolved_flag, first_seen_at, last_seen_at, resolved_at
       FROM discrepancy_records WHERE ${filter.sql} ORDER BY id`,
    filter.params,
  );
  const result: StoredDiscrepancy[] = [];
  for (const row of rows) {
    const events = await db.query<{
      event: string;
      from_state: string | null;
      to_state: string;
      actor: string;
      message_id: string | null;
    }>(
      "SELECT event, from_state, to_state, actor, message_id FROM discrepancy_events WHERE discrepancy_id = ? ORDER BY id",
      [row.id],
    );
    result.push({
      id: Number(row.id),
      debtorId: Number(row.debtor_id),
      partnerName: row.partner_name,
      type: row.type,
      reviewState: row.review_state,
      internalValue: row.internal_value,
      externalValue: row.external_value,
      differenceAmount: row.difference_amount,
      // DECIMAL(7, 4): exact text from MySQL's driver, a number from SQLite.
      tolerancePercent:
        typeof row.tolerance_percent === "number" ? row.tolerance_percent.toFixed(4) : row.tolerance_percent,
      sourceMessageId: row.source_message_id,
      lastMessageId: row.last_message_id,
      occurrences: Number(row.occurrences),
      unresolvedFlag: row.unresolved_flag === null ? null : Number(row.unresolved_flag),
      firstSeenAt: readDate(row.first_seen_at).toISOString(),
      lastSeenAt: readDate(row.last_seen_at).toISOString(),
      resolvedAt: row.resolved_at === null ? null : readDate(row.resolved_at).toISOString(),
      events: events.map((event) => ({
        event: event.event,
        fromState: event.from_state,
        toState: event.to_state,
        actor: event.actor,
        messageId: event.message_id,
      })),
    });
  }
  return result;
}

export const eventCount = (db: SqlExecutor) => count(db, "SELECT COUNT(*) AS n FROM discrepancy_events");

/** Poison rows in recording order. */
export async function poisonRows(db: SqlExecutor) {
  const rows = await db.query<{
    sqs_message_id: string;
    message_id: string | null;
    body: string;
    reason: string;
    receive_count: number | null;
  }>("SELECT sqs_message_id, message_id, body, reason, receive_count FROM poison_messages ORDER BY id");
  return rows.map((row) => ({
    sqsMessageId: row.sqs_message_id,
    messageId: row.message_id,
    body: row.body,
    reason: row.reason,
    receiveCount: row.receive_count === null ? null : Number(row.receive_count),
  }));
}
