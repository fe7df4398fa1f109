import { chunk, placeholders, ROWS_PER_STATEMENT, type SqlExecutor, upsertSql } from "@smartrecover/db-kit";
import type { RiskScore } from "./risk-scorer";

const COLUMNS = ["debtor_id", "total_score", "risk_level", "factor_breakdown", "calculated_at"];

const values = (score: RiskScore) => [
  score.debtorId,
  score.totalScore,
  score.riskLevel,
  JSON.stringify(score.factors),
  score.calculatedAt,
];

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

/** The only code that writes `risk_scores`: one row per debtor, replaced when the debtor is re-scored. */
export class RiskScoreRepository {
  /** Saves scores in the caller's transaction, replacing any existing score of the same debtor. */
  async upsert(tx: SqlExecutor, scores: readonly RiskScore[]): Promise<void> {
    for (const part of chunk(scores, ROWS_PER_STATEMENT)) {
      await tx.execute(upsertSql(tx.dialect, "risk_scores", COLUMNS, ["debtor_id"], part.length), part.flatMap(values));
    }
  }

  /**
   * A processing batch's re-computed scores, leaving the same rows as `upsert`. SQLite's upsert
   * rewrites both score indexes' entries even when the score is unchanged, so a batch would write
   * (and checkpoint) pages nothing changed on. So on SQLite a row whose score and level are
   * unchanged is refreshed in place first, and the upsert then writes only rows that still differ:
   * new or changed scores, in debtor id order. InnoDB leaves unchanged index entries alone by
   * itself, so MySQL keeps the plain upsert.
   */
  async saveBatch(tx: SqlExecutor, scores: readonly RiskScore[]): Promise<void> {
    if (tx.dialect !== "sqlite") return this.upsert(tx, scores);
    const sorted = scores.map(values).sort((a, b) => (a[0] as number) - (b[0] as number));
    for (const [debtorId, totalScore, riskLevel, factors, calculatedAt] of sorted) {
      await tx.execute(REFRESH_SQL, [factors, calculatedAt, debtorId, totalScore, riskLevel]);
    }
    for (const part of chunk(sorted, ROWS_PER_STATEMENT)) {
      await tx.execute(upsertIfDifferentSql(part.length), part.flat());
    }
  }

  /** Deletes every score (before the debtors go, as generate-test-debtors --clear does). */
  deleteAll(tx: SqlExecutor): Promise<number> {
    return tx.execute("DELETE FROM risk_scores");
  }
}
