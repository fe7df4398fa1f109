import type { RiskLevel } from "@smartrecover/contracts";
import type { RiskDatabase } from "../db/risk-database";
import { chunk, ROWS_PER_STATEMENT, upsertSql } from "../db/sql-dialect";
import type { FactorBreakdown } from "./risk-scorer";

export interface RiskScoreRow {
  debtorId: number;
  totalScore: number;
  riskLevel: RiskLevel;
  factors: FactorBreakdown;
  calculatedAt: Date;
}

const COLUMNS = ["debtor_id", "total_score", "risk_level", "factor_breakdown", "calculated_at"];

/** Multi-row upserts of risk scores (one row per debtor), as statements for a caller's transaction. */
export function scoreUpsertStatements(dialect: RiskDatabase["dialect"], rows: readonly RiskScoreRow[]) {
  return chunk(rows, ROWS_PER_STATEMENT).map((part) => ({
    sql: upsertSql(dialect, "risk_scores", COLUMNS, "debtor_id", part.length),
    params: part.flatMap((row) => [
      row.debtorId,
      row.totalScore,
      row.riskLevel,
      JSON.stringify(row.factors),
      row.calculatedAt,
    ]),
  }));
}

/** Saves scores in one transaction, replacing any existing score of the same debtor. */
export async function upsertScores(db: RiskDatabase, rows: readonly RiskScoreRow[]): Promise<void> {
  await db.transaction(scoreUpsertStatements(db.dialect, rows));
}
