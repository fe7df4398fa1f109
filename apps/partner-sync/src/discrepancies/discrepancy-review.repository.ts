import type { PartnerSyncDatabase } from "../db/partner-sync-database";
import { forUpdate } from "../db/sql-dialect";
import { type ReviewAction, type ReviewState, reviewTransition } from "./discrepancy-lifecycle";

export interface ReviewInput {
  action: ReviewAction;
  actor: string;
  note: string | null;
  now: Date;
}

/**
 * Moves a discrepancy to its next review state and appends the audit event, in one transaction.
 * The row is re-read under lock (MySQL) or the write lock (SQLite), so a consumer auto-resolving
 * it at the same moment cannot be overwritten. Returns false when there is no such discrepancy;
 * throws ReviewTransitionError when its current state does not allow the action.
 */
export async function applyReview(db: PartnerSyncDatabase, id: number, input: ReviewInput): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<{ review_state: ReviewState }>(
      `SELECT review_state FROM discrepancy_records WHERE id = ?${forUpdate(db.dialect)}`,
      id,
    );
    if (!current) return false;
    const transition = reviewTransition(input.action, current.review_state);
    const resolved = transition.to === "RESOLVED";
    await tx.execute(
      `UPDATE discrepancy_records
          SET review_state = ?, updated_at = ?, unresolved_flag = ${resolved ? "NULL" : "unresolved_flag"},
              resolved_at = ${resolved ? "?" : "resolved_at"}
        WHERE id = ?`,
      ...(resolved ? [transition.to, input.now, input.now, id] : [transition.to, input.now, id]),
    );
    await tx.execute(
      `INSERT INTO discrepancy_events (discrepancy_id, event, from_state, to_state, actor, note, message_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
      id,
      transition.event,
      transition.from,
      transition.to,
      input.actor,
      input.note,
      input.now,
    );
    return true;
  });
}
