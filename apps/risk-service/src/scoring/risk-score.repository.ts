import type { RiskLevel } from "@smartrecover/contracts";
import type { RiskDatabase } from "../db/risk-database";
import { chunk, placeholders, ROWS_PER_STATEMENT, upsertSql } from "../db/sql-dialect";
import type { FactorBreakdown } from "./risk-scorer";

export interface RiskScoreRow {
  debtorId: number;
  totalScore: number;
  riskLevel: RiskLevel;
  factors: FactorBreakdown;
  calculatedAt: Date;
}

const COLUMNS = ["debtor_id", "total_score", "risk_level", "factor_breakdown", "calculated_at"];

const values = (row: RiskScoreRow) => [
  row.debtorId,
  row.totalScore,
  row.riskLevel,
  JSON.stringify(row.factors),
  row.calculatedAt,
];

/** Multi-row upserts of risk scores (one row per debtor), as statements for a caller's transaction. */
export function scoreUpsertStatements(dialect: RiskDatabase["dialect"], rows: readonly RiskScoreRow[]) {
  return chunk(rows, ROWS_PER_STATEMENT).map((part) => ({
    sql: upsertSql(dialect, "risk_scores", COLUMNS, "debtor_id", part.length),
    params: part.flatMap(values),
  }));
}

const REFRESH_SQL = `UPDATE risk_scores SET factor_breakdown = ?, calculated_at = ?
  WHERE debtor_id = ? AND total_score = ? AND risk_level = ?`;

/** SQLite's upsert, writing only rows that differ from the batch's values. */
const upsertIfDifferentSql = (rows: number) =>
  `INSERT INTO risk_scores (debtor_id, total_score, risk_level, factor_breakdown, calculated_at)
  VALUES ${placeholders(5, rows)}
  ON CONFLICT(debtor_id) DO UPDATE SET total_score = excluded.total_score, risk_level = excluded.risk_level,
    factor_breakdown = excluded.factor_breakdown, calculated_at = excluded.calculated_at
  WHERE risk_scores.total_score IS NOT excluded.total_score OR risk_scores.risk_level IS NOT excluded.risk_level
    OR risk_scores.factor_breakdown IS NOT excluded.factor_breakdown
    OR risk_scores.calculated_at IS NOT excluded.calculated_at`;

/**
 * A batch of re-computed scores, leaving the same rows as scoreUpsertStatements. SQLite's upsert
 * rewrites both score indexes' entries even when the score is unchanged, which more than doubled
 * the pages a processing batch writes (and checkpoints). So on SQLite a row whose score and level
 * are unchanged is refreshed in place first, and the upsert then writes only rows that still
 * differ: new or changed scores. Rows go in debtor id order. InnoDB leaves unchanged index
 * entries alone by itself, so MySQL keeps the plain upsert.
 */
export function scoreSaveStatements(dialect: RiskDatabase["dialect"], rows: readonly RiskScoreRow[]) {
  if (dialect !== "sqlite") return scoreUpsertStatements(dialect, rows);
  const sorted = rows.map(values).sort((a, b) => (a[0] as number) - (b[0] as number));
  const refresh = sorted.map(([debtorId, totalScore, riskLevel, factors, calculatedAt]) => ({
    sql: REFRESH_SQL,
    params: [factors, calculatedAt, debtorId, totalScore, riskLevel],
  }));
  const upserts = chunk(sorted, ROWS_PER_STATEMENT).map((part) => ({
    sql: upsertIfDifferentSql(part.length),
    params: part.flat(),
  }));
  return [...refresh, ...upserts];
}

/** Saves scores in one transaction, replacing any existing score of the same debtor. */
export async function upsertScores(db: RiskDatabase, rows: readonly RiskScoreRow[]): Promise<void> {
  await db.transaction(scoreUpsertStatements(db.dialect, rows));
}
