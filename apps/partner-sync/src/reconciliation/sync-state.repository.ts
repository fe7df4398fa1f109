import { centsFromDb, type PaymentStatus } from "@smartrecover/contracts";
import type { Dialect } from "../db/partner-sync-database";
import { forUpdate, inList, moneyText } from "../db/sql-dialect";
import type { SqlExecutor } from "../db/sql-executor";
import type { UnresolvedDiscrepancy } from "../discrepancies/discrepancy-lifecycle";
import type { LoadedState } from "./apply-planner";
import type { PartnerBook } from "./partner-simulator";

interface SyncRowRaw {
  debtor_id: number | bigint;
  last_processed_at: Date;
  balance: string | null;
  status: string | null;
}

interface UnresolvedRowRaw {
  id: number | bigint;
  debtor_id: number | bigint;
  type: UnresolvedDiscrepancy["type"];
  review_state: UnresolvedDiscrepancy["reviewState"];
}

/**
 * Reads what planBatch needs for one sub-batch in at most three statements. On MySQL the sync
 * and discrepancy rows are locked until commit, so two consumers cannot interleave on a debtor.
 */
export async function loadBatchState(
  tx: SqlExecutor,
  dialect: Dialect,
  partnerName: string,
  messageIds: readonly string[],
  debtorIds: readonly number[],
): Promise<LoadedState> {
  const applied = await tx.query<{ message_id: string }>(
    `SELECT message_id FROM inbox_messages WHERE message_id IN ${inList(messageIds.length)}`,
    ...messageIds,
  );
  const syncRows = await tx.query<SyncRowRaw>(
    `SELECT s.debtor_id, s.last_processed_at, ${moneyText(dialect, "p.balance")} AS balance, p.status
       FROM partner_sync_records s
       LEFT JOIN partner_records p ON p.debtor_id = s.debtor_id AND p.partner_name = s.partner_name
      WHERE s.partner_name = ? AND s.debtor_id IN ${inList(debtorIds.length)}${forUpdate(dialect)}`,
    partnerName,
    ...debtorIds,
  );
  const lastProcessedAt = new Map<number, Date>();
  const partnerBooks = new Map<number, PartnerBook>();
  for (const row of syncRows) {
    const debtorId = Number(row.debtor_id);
    lastProcessedAt.set(debtorId, new Date(row.last_processed_at));
    if (row.balance !== null && row.status !== null) {
      partnerBooks.set(debtorId, { balanceCents: centsFromDb(row.balance), status: row.status as PaymentStatus });
    }
  }

  // Discrepancies exist only for debtors already synced, so first sightings skip this read.
  const known = [...lastProcessedAt.keys()];
  const unresolved = new Map<number, UnresolvedDiscrepancy[]>();
  if (known.length > 0) {
    const rows = await tx.query<UnresolvedRowRaw>(
      `SELECT id, debtor_id, type, review_state FROM discrepancy_records
        WHERE partner_name = ? AND unresolved_flag = 1 AND debtor_id IN ${inList(known.length)}${forUpdate(dialect)}`,
      partnerName,
      ...known,
    );
    for (const row of rows) {
      const debtorId = Number(row.debtor_id);
      const list = unresolved.get(debtorId) ?? [];
      list.push({ id: Number(row.id), type: row.type, reviewState: row.review_state });
      unresolved.set(debtorId, list);
    }
  }
  return {
    appliedMessageIds: new Set(applied.map((row) => row.message_id)),
    lastProcessedAt,
    partnerBooks,
    unresolved,
  };
}
