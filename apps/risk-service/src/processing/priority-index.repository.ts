import { moneyText, type SqlExecutor } from "@smartrecover/db-kit";
import type { ScoringRow } from "./processing.repository";

// Reads of debtors.priority, the stored heap priority that database triggers keep equal to
// domain.md §4's order (migration 20261202150000_debtor_priority). The dry run and the worklist
// walk its (priority DESC, id) index instead of reading every debtor into a heap.

export interface RankedDebtor extends ScoringRow {
  name: string;
  /** Score-cents: risk score × debt in cents. */
  priority: number;
  stored_risk_level: string | null;
}

/** The `limit` highest priorities, ties on the lower id: exactly what a heap over every debtor pops first. */
export async function topByPriority(db: SqlExecutor, limit: number): Promise<RankedDebtor[]> {
  const rows = await db.query<RankedDebtor>(
    `SELECT d.id, d.name, d.priority, ${moneyText(db.dialect, "d.total_debt_amount")} AS total_debt_amount,
        ${moneyText(db.dialect, "d.monthly_income")} AS monthly_income, d.late_payments_count, d.employment_status,
        d.contract_type, d.industry_sector, d.family_situation, d.payment_status,
        rs.total_score AS stored_score, rs.risk_level AS stored_risk_level
       FROM debtors d LEFT JOIN risk_scores rs ON rs.debtor_id = d.id
      WHERE d.priority IS NOT NULL ORDER BY d.priority DESC, d.id LIMIT ?`,
    [limit],
  );
  for (const row of rows) {
    row.id = Number(row.id);
    row.priority = Number(row.priority);
    row.late_payments_count = Number(row.late_payments_count);
    row.stored_score = row.stored_score === null ? null : Number(row.stored_score);
  }
  return rows;
}

/**
 * How many debtors the heap would hold, and how many it would refuse (data no scorer can read):
 * one row the priority triggers keep current, instead of a count over every debtor.
 */
export async function priorityCounts(db: SqlExecutor): Promise<{ ranked: number; unrankable: number }> {
  const [row] = await db.query<{ ranked: number | bigint; unrankable: number | bigint }>(
    "SELECT ranked, unrankable FROM debtor_priority_counts WHERE id = 1",
  );
  if (!row) throw new Error("debtor_priority_counts has no row: the priority migration did not run");
  return { ranked: Number(row.ranked), unrankable: Number(row.unrankable) };
}
