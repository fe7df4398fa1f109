import type { ServiceDatabase } from "@smartrecover/db-kit";
import { loadUnresolved, writeSightings } from "../discrepancies/discrepancy.repository";
import { addSightings, type BatchPlan, type SyncRow } from "../reconciliation/apply-planner";
import { reconcile, type Tolerance } from "../reconciliation/reconciliation-rules";
import { loadSyncRecordsAfter, upsertSyncRecords } from "../reconciliation/sync-record.repository";
import { countRowsForNeverSynced, lockImport, recordReconcileProgress } from "./partner-book.repository";

/** What an accepted import did (domain.md §10), as stored in partner_book_imports.summary. */
export interface ImportSummary {
  rows: number;
  debtors_rereconciled: number;
  matched: number;
  discrepancies_opened: number;
  discrepancies_updated: number;
  discrepancies_auto_resolved: number;
  rows_for_never_synced_debtors: number;
}

export function emptySummary(rows: number): ImportSummary {
  return {
    rows,
    debtors_rereconciled: 0,
    matched: 0,
    discrepancies_opened: 0,
    discrepancies_updated: 0,
    discrepancies_auto_resolved: 0,
    rows_for_never_synced_debtors: 0,
  };
}

export function parseSummary(text: string | null, rows: number): ImportSummary {
  return text ? { ...emptySummary(rows), ...(JSON.parse(text) as Partial<ImportSummary>) } : emptySummary(rows);
}

/** The source every audit event of an import names (domain.md §10). */
export const importSource = (importId: number) => `import:${importId}`;

export interface RereconcileOptions {
  partnerName: string;
  tolerance: Tolerance;
  clock: () => Date;
  batchSize: number;
  onBatch?: (done: number) => void;
}

/**
 * Re-reconciles every debtor synced with the partner against its current book, by §8, one
 * batch of debtors per transaction. Each batch also moves the import's cursor and counters, so a
 * process killed in between resumes after the last committed batch, and nothing is counted twice.
 * Stops early when a newer import superseded this one (that one re-reconciles everything).
 */
export async function rereconcileImport(
  db: ServiceDatabase,
  importId: number,
  options: RereconcileOptions,
): Promise<void> {
  const source = importSource(importId);
  for (;;) {
    const finished = await db.transaction(async (tx) => {
      const current = await lockImport(tx, importId);
      if (current?.state !== "RECONCILING") return true;
      const now = options.clock();
      const summary = parseSummary(current.summary, current.rows);
      const records = await loadSyncRecordsAfter(tx, options.partnerName, current.reconciledThrough, options.batchSize);
      const last = records[records.length - 1];
      if (!last) {
        summary.rows_for_never_synced_debtors = await countRowsForNeverSynced(tx, options.partnerName, importId);
        const progress = {
          reconciledThrough: current.reconciledThrough,
          summary: JSON.stringify(summary),
          complete: true,
        };
        await recordReconcileProgress(tx, importId, progress, now);
        return true;
      }
      const unresolved = await loadUnresolved(
        tx,
        options.partnerName,
        records.map((record) => record.debtorId),
      );
      const plan: BatchPlan = {
        outcomes: [],
        inbox: [],
        partnerInserts: [],
        syncUpserts: [],
        opened: [],
        seenAgain: [],
        autoResolved: [],
        events: [],
      };
      for (const record of records) {
        const result = reconcile(record.internal, record.external, options.tolerance);
        if (result.status === "MATCHED") summary.matched += 1;
        const row: SyncRow = {
          debtorId: record.debtorId,
          internal: record.internal,
          external: record.external,
          reconciliationStatus: result.status,
          pendingReason: null,
          messageId: record.messageId,
          processedAt: record.processedAt,
          priority: record.priority,
        };
        plan.syncUpserts.push(row);
        const sighting = { debtorId: record.debtorId, messageId: source, priority: record.priority };
        addSightings(plan, sighting, unresolved.get(record.debtorId) ?? [], result.differences);
      }
      summary.debtors_rereconciled += records.length;
      summary.discrepancies_opened += plan.opened.length;
      summary.discrepancies_updated += plan.seenAgain.length;
      summary.discrepancies_auto_resolved += plan.autoResolved.length;
      const context = { partnerName: options.partnerName, tolerance: options.tolerance, now };
      await upsertSyncRecords(tx, options.partnerName, plan.syncUpserts, now);
      await writeSightings(tx, plan, context);
      const progress = { reconciledThrough: last.debtorId, summary: JSON.stringify(summary), complete: false };
      await recordReconcileProgress(tx, importId, progress, now);
      options.onBatch?.(summary.debtors_rereconciled);
      return false;
    });
    if (finished) return;
  }
}
