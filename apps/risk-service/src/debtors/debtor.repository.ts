import { centsFromDb, formatCents, type RiskLevel } from "@smartrecover/contracts";
import {
  chunk,
  type Dialect,
  lastInsertId,
  moneyParam,
  moneyText,
  placeholders,
  ROWS_PER_STATEMENT,
  readDate,
  type ServiceDatabase,
  type SqlExecutor,
  type StoredDate,
} from "@smartrecover/db-kit";
import type { FactorBreakdown, RiskScore } from "../scoring/risk-scorer";
import type { Debtor, DebtorFields } from "./debtor";

export type StoredScore = Omit<RiskScore, "debtorId">;

/** A debtor with its current score, as the API shows it. */
export interface DebtorWithScore extends Debtor {
  score: StoredScore | null;
}

export interface DebtorFilter {
  afterId: number;
  limit: number;
  riskLevel?: RiskLevel;
  paymentStatus?: string;
  minDebtCents?: number;
  maxDebtCents?: number;
}

export interface HighRiskFilter {
  limit: number;
  /** Keyset position: rows after (score desc, id asc) of the last row seen. */
  after?: { totalScore: number; id: number };
}

export class ConcurrentInsertError extends Error {
  override name = "ConcurrentInsertError";
}

interface DebtorRow {
  id: number | bigint;
  name: string;
  total_debt_amount: string;
  monthly_income: string;
  late_payments_count: number | bigint;
  employment_status: string;
  contract_type: string;
  industry_sector: string;
  family_situation: string;
  payment_status: string;
  created_at: StoredDate;
  updated_at: StoredDate;
}

interface DebtorScoreRow extends DebtorRow {
  total_score: number | bigint | null;
  risk_level: string | null;
  factor_breakdown: string | null;
  calculated_at: StoredDate | null;
}

const COLUMNS = [
  "name",
  "total_debt_amount",
  "monthly_income",
  "late_payments_count",
  "employment_status",
  "contract_type",
  "industry_sector",
  "family_situation",
  "payment_status",
  "created_at",
  "updated_at",
];

/** Money goes in as decimal strings, so no amount passes through a float. */
const values = (debtor: DebtorFields, at: Date) => [
  debtor.name,
  formatCents(debtor.totalDebtCents),
  formatCents(debtor.monthlyIncomeCents),
  debtor.latePaymentsCount,
  debtor.employmentStatus,
  debtor.contractType,
  debtor.industrySector,
  debtor.familySituation,
  debtor.paymentStatus,
  at,
  at,
];

function debtorSelect(dialect: Dialect): string {
  return `SELECT d.id, d.name, ${moneyText(dialect, "d.total_debt_amount")} AS total_debt_amount,
    ${moneyText(dialect, "d.monthly_income")} AS monthly_income, d.late_payments_count, d.employment_status,
    d.contract_type, d.industry_sector, d.family_situation, d.payment_status, d.created_at, d.updated_at`;
}

const SCORE_COLUMNS = ", rs.total_score, rs.risk_level, rs.factor_breakdown, rs.calculated_at";

function toDebtor(row: DebtorRow): Debtor {
  return {
    id: Number(row.id),
    name: row.name,
    totalDebtCents: centsFromDb(row.total_debt_amount),
    monthlyIncomeCents: centsFromDb(row.monthly_income),
    latePaymentsCount: Number(row.late_payments_count),
    employmentStatus: row.employment_status,
    contractType: row.contract_type,
    industrySector: row.industry_sector,
    familySituation: row.family_situation,
    paymentStatus: row.payment_status,
    createdAt: readDate(row.created_at),
    updatedAt: readDate(row.updated_at),
  };
}

function toDebtorWithScore(row: DebtorScoreRow): DebtorWithScore {
  return {
    ...toDebtor(row),
    score:
      row.total_score === null
        ? null
        : {
            totalScore: Number(row.total_score),
            riskLevel: row.risk_level as RiskLevel,
            factors: JSON.parse(row.factor_breakdown ?? "{}") as FactorBreakdown,
            calculatedAt: readDate(row.calculated_at ?? 0),
          },
  };
}

const FIELDS: ReadonlyArray<keyof DebtorFields> = [
  "name",
  "totalDebtCents",
  "monthlyIncomeCents",
  "latePaymentsCount",
  "employmentStatus",
  "contractType",
  "industrySector",
  "familySituation",
  "paymentStatus",
];

const sameFields = (stored: Debtor, given: DebtorFields) => FIELDS.every((key) => stored[key] === given[key]);

/** The only code that writes `debtors`; scores are written by RiskScoreRepository. */
export class DebtorRepository {
  constructor(private readonly db: ServiceDatabase) {}

  async findById(id: number): Promise<DebtorWithScore | null> {
    const sql = `${debtorSelect(this.db.dialect)}${SCORE_COLUMNS}
      FROM debtors d LEFT JOIN risk_scores rs ON rs.debtor_id = d.id WHERE d.id = ?`;
    const [row] = await this.db.query<DebtorScoreRow>(sql, [id]);
    return row ? toDebtorWithScore(row) : null;
  }

  /** Debtors in id order after `afterId`, filtered; `limit` rows at most. */
  async list(filter: DebtorFilter): Promise<DebtorWithScore[]> {
    const where = ["d.id > ?"];
    const params: unknown[] = [filter.afterId];
    if (filter.paymentStatus !== undefined) {
      where.push("d.payment_status = ?");
      params.push(filter.paymentStatus);
    }
    if (filter.minDebtCents !== undefined) {
      where.push(`d.total_debt_amount >= ${moneyParam(this.db.dialect)}`);
      params.push(formatCents(filter.minDebtCents));
    }
    if (filter.maxDebtCents !== undefined) {
      where.push(`d.total_debt_amount <= ${moneyParam(this.db.dialect)}`);
      params.push(formatCents(filter.maxDebtCents));
    }
    if (filter.riskLevel !== undefined) {
      where.push("rs.risk_level = ?");
      params.push(filter.riskLevel);
    }
    const sql = `${debtorSelect(this.db.dialect)}${SCORE_COLUMNS}
      FROM debtors d LEFT JOIN risk_scores rs ON rs.debtor_id = d.id
      WHERE ${where.join(" AND ")} ORDER BY d.id LIMIT ?`;
    return (await this.db.query<DebtorScoreRow>(sql, [...params, filter.limit])).map(toDebtorWithScore);
  }

  /** HIGH and CRITICAL debtors, highest total score first, ties by lower id. */
  async listHighRisk(filter: HighRiskFilter): Promise<DebtorWithScore[]> {
    const params: unknown[] = [];
    let after = "";
    if (filter.after) {
      // A range on the leading key plus a tie-break: both databases keep walking the index.
      after = "AND rs.total_score <= ? AND (rs.total_score < ? OR rs.debtor_id > ?)";
      params.push(filter.after.totalScore, filter.after.totalScore, filter.after.id);
    }
    // Ordered on risk_scores' own columns so the (total_score DESC, debtor_id) index gives the order
    // and the page stops after `limit` rows instead of sorting every HIGH and CRITICAL score.
    // SQLite's planner would rather search the (risk_level, total_score) index and sort every match;
    // a unary + on the column (its documented hint) keeps it on the ordered index.
    const sqlite = this.db.dialect === "sqlite";
    const sql = `${debtorSelect(this.db.dialect)}${SCORE_COLUMNS}
      FROM risk_scores rs JOIN debtors d ON d.id = rs.debtor_id
      WHERE ${sqlite ? "+rs.risk_level" : "rs.risk_level"} IN ('HIGH', 'CRITICAL') ${after}
      ORDER BY rs.total_score DESC, rs.debtor_id LIMIT ?`;
    return (await this.db.query<DebtorScoreRow>(sql, [...params, filter.limit])).map(toDebtorWithScore);
  }

  /** Inserts one debtor in the caller's transaction; returns its id. */
  async insert(tx: SqlExecutor, debtor: DebtorFields, at: Date): Promise<number> {
    await tx.execute(
      `INSERT INTO debtors (${COLUMNS.join(", ")}) VALUES ${placeholders(COLUMNS.length, 1)}`,
      values(debtor, at),
    );
    return lastInsertId(tx);
  }

  /**
   * Inserts the debtors in the caller's transaction with multi-row INSERTs; returns their new ids
   * in row order. Auto-increment ids are above every id present before and follow the VALUES
   * order, so the rows after the previous maximum, in id order, are ours. They are read back and
   * compared field by field: another writer inserting at the same time fails loudly instead of
   * mixing up ids.
   */
  async insertMany(tx: SqlExecutor, debtors: readonly DebtorFields[], at: Date): Promise<number[]> {
    if (debtors.length === 0) return [];
    const [before] = await tx.query<{ max_id: number | bigint | null }>("SELECT MAX(id) AS max_id FROM debtors");
    for (const part of chunk(debtors, ROWS_PER_STATEMENT)) {
      await tx.execute(
        `INSERT INTO debtors (${COLUMNS.join(", ")}) VALUES ${placeholders(COLUMNS.length, part.length)}`,
        part.flatMap((debtor) => values(debtor, at)),
      );
    }
    const stored = await tx.query<DebtorRow>(
      `${debtorSelect(tx.dialect)} FROM debtors d WHERE d.id > ? ORDER BY d.id LIMIT ?`,
      [Number(before?.max_id ?? 0), debtors.length + 1],
    );
    const ours = stored.map(toDebtor);
    if (ours.length !== debtors.length || !ours.every((row, i) => sameFields(row, debtors[i] as DebtorFields))) {
      throw new ConcurrentInsertError(
        "another process inserted debtors at the same time, so the new ids cannot be told apart; run the generator alone",
      );
    }
    return ours.map((row) => row.id);
  }

  /** Replaces a debtor's fields in the caller's transaction (its score is saved beside it). */
  async update(tx: SqlExecutor, id: number, debtor: DebtorFields, at: Date): Promise<void> {
    const money = moneyParam(tx.dialect);
    await tx.execute(
      `UPDATE debtors SET name = ?, total_debt_amount = ${money}, monthly_income = ${money},
        late_payments_count = ?, employment_status = ?, contract_type = ?, industry_sector = ?,
        family_situation = ?, payment_status = ?, updated_at = ? WHERE id = ?`,
      [...values(debtor, at).slice(0, COLUMNS.length - 2), at, id],
    );
  }

  /** Deletes every debtor in the caller's transaction; returns how many there were. */
  deleteAll(tx: SqlExecutor): Promise<number> {
    return tx.execute("DELETE FROM debtors");
  }
}
