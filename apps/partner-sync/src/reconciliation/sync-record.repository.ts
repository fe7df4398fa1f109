import { centsFromDb, formatCents, type PaymentStatus } from "@smartrecover/contracts";
import {
  forUpdate,
  inList,
  moneyText,
  readDate,
  type SqlExecutor,
  type StoredDate,
  upsertSql,
} from "@smartrecover/db-kit";
import type { SyncRow } from "./apply-planner";
import type { PartnerBook } from "./partner-simulator";
import type { ReconciliationStatus } from "./reconciliation-rules";

// The only module that writes partner_sync_records.

const SYNC_COLUMNS = [
  "debtor_id",
  "partner_name",
  "internal_balance",
  "internal_status",
  "external_balance",
  "external_status",
  "reconciliation_status",
  "last_message_id",
  "last_processed_at",
  "synced_at",
  "pending_reason",
  "priority",
];

export interface SyncState {
  lastProcessedAt: Map<number, Date>;
  partnerBooks: Map<number, PartnerBook>;
}

/**
 * Each debtor's last applied message time and the partner's book, if the debtor was seen before.
 * On MySQL the rows are locked until commit, so two consumers cannot interleave on a debtor.
 */
export async function loadSyncState(
  tx: SqlExecutor,
  partnerName: string,
  debtorIds: readonly number[],
): Promise<SyncState> {
  const rows = await tx.query<{
    debtor_id: number | bigint;
    last_processed_at: StoredDate;
    balance: string | number | null;
    status: PaymentStatus | null;
  }>(
    `SELECT s.debtor_id, s.last_processed_at, p.balance, p.status
       FROM partner_sync_records s
       LEFT JOIN partner_records p ON p.debtor_id = s.debtor_id AND p.partner_name = s.partner_name
      WHERE s.partner_name = ? AND s.debtor_id IN ${inList(debtorIds.length)}${forUpdate(tx.dialect)}`,
    [partnerName, ...debtorIds],
  );
  const state: SyncState = { lastProcessedAt: new Map(), partnerBooks: new Map() };
  for (const row of rows) {
    const debtorId = Number(row.debtor_id);
    state.lastProcessedAt.set(debtorId, readDate(row.last_processed_at));
    if (row.balance !== null && row.status !== null) {
      state.partnerBooks.set(debtorId, { balanceCents: centsFromDb(row.balance), status: row.status });
    }
  }
  return state;
}

/** One sync record per debtor: the latest internal values and the classification of the last message. */
export async function upsertSyncRecords(
  tx: SqlExecutor,
  partnerName: string,
  rows: readonly SyncRow[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(
    upsertSql(tx.dialect, "partner_sync_records", SYNC_COLUMNS, ["debtor_id", "partner_name"], rows.length),
    rows.flatMap((row) => [
      row.debtorId,
      partnerName,
      formatCents(row.internal.balanceCents),
      row.internal.status,
      row.external ? formatCents(row.external.balanceCents) : null,
      row.external?.status ?? null,
      row.reconciliationStatus,
      row.messageId,
      row.processedAt,
      now,
      row.pendingReason,
      row.priority,
    ]),
  );
}

/**
 * The next `limit` sync records of a partner after debtor `afterDebtorId`, in debtor order, with
 * the partner's current book entry joined; locked until commit on MySQL (re-reconciliation).
 */
export async function loadSyncRecordsAfter(
  tx: SqlExecutor,
  partnerName: string,
  afterDebtorId: number,
  limit: number,
): Promise<Array<Omit<SyncRow, "reconciliationStatus" | "pendingReason"> & { status: ReconciliationStatus }>> {
  const rows = await tx.query<{
    debtor_id: number | bigint;
    internal_balance: string | number;
    internal_status: PaymentStatus;
    reconciliation_status: ReconciliationStatus;
    last_message_id: string;
    last_processed_at: StoredDate;
    priority: string | number;
    balance: string | number | null;
    status: PaymentStatus | null;
  }>(
    `SELECT s.debtor_id, ${moneyText(tx.dialect, "s.internal_balance")} AS internal_balance, s.internal_status,
            s.reconciliation_status, s.last_message_id, s.last_processed_at,
            ${moneyText(tx.dialect, "s.priority")} AS priority,
            ${moneyText(tx.dialect, "p.balance")} AS balance, p.status
       FROM partner_sync_records s
       LEFT JOIN partner_records p ON p.debtor_id = s.debtor_id AND p.partner_name = s.partner_name
      WHERE s.partner_name = ? AND s.debtor_id > ?
      ORDER BY s.debtor_id LIMIT ?${forUpdate(tx.dialect)}`,
    [partnerName, afterDebtorId, Math.trunc(limit)],
  );
  return rows.map((row) => ({
    debtorId: Number(row.debtor_id),
    internal: { balanceCents: centsFromDb(row.internal_balance), status: row.internal_status },
    external:
      row.balance !== null && row.status !== null
        ? { balanceCents: centsFromDb(row.balance), status: row.status }
        : null,
    status: row.reconciliation_status,
    messageId: row.last_message_id,
    processedAt: readDate(row.last_processed_at),
    priority: String(row.priority),
  }));
}

/** Sync records per reconciliation status: how many debtors currently match the partner. */
export async function countByReconciliationStatus(db: SqlExecutor): Promise<Map<string, number>> {
  const rows = await db.query<{ reconciliation_status: string; n: number | bigint }>(
    "SELECT reconciliation_status, COUNT(*) AS n FROM partner_sync_records GROUP BY reconciliation_status",
  );
  return new Map(rows.map((row) => [row.reconciliation_status, Number(row.n)]));
}
