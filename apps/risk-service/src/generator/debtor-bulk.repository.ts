import { centsFromDb, formatCents } from "@smartrecover/contracts";
import type { RiskDatabase } from "../db/risk-database";
import { chunk, moneyText, placeholders, ROWS_PER_STATEMENT } from "../db/sql-dialect";

/** A debtor row to insert, money in integer cents. */
export interface NewDebtor {
  name: string;
  totalDebtCents: number;
  monthlyIncomeCents: number;
  latePaymentsCount: number;
  employmentStatus: string;
  contractType: string;
  industrySector: string;
  familySituation: string;
  paymentStatus: string;
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

export class ConcurrentInsertError extends Error {
  override name = "ConcurrentInsertError";
}

/** Multi-row INSERT statements; money goes in as decimal strings so no amount passes through a float. */
export function debtorInsertStatements(rows: readonly NewDebtor[], now: Date) {
  return chunk(rows, ROWS_PER_STATEMENT).map((part) => ({
    sql: `INSERT INTO debtors (${COLUMNS.join(", ")}) VALUES ${placeholders(COLUMNS.length, part.length)}`,
    params: part.flatMap((row) => [
      row.name,
      formatCents(row.totalDebtCents),
      formatCents(row.monthlyIncomeCents),
      row.latePaymentsCount,
      row.employmentStatus,
      row.contractType,
      row.industrySector,
      row.familySituation,
      row.paymentStatus,
      now,
      now,
    ]),
  }));
}

interface StoredRow {
  id: number | bigint;
  name: string;
  debt: string;
  income: string;
  late: number | bigint;
  employment: string;
  contract: string;
  industry: string;
  family: string;
  payment: string;
}

function sameDebtor(stored: StoredRow, row: NewDebtor): boolean {
  return (
    stored.name === row.name &&
    centsFromDb(stored.debt) === row.totalDebtCents &&
    centsFromDb(stored.income) === row.monthlyIncomeCents &&
    Number(stored.late) === row.latePaymentsCount &&
    stored.employment === row.employmentStatus &&
    stored.contract === row.contractType &&
    stored.industry === row.industrySector &&
    stored.family === row.familySituation &&
    stored.payment === row.paymentStatus
  );
}

/**
 * Inserts the rows in one transaction and returns their new ids, in row order. Auto-increment
 * ids are above every id present before the insert and follow the VALUES order, so the rows
 * after the previous maximum, ordered by id, are ours. They are read back and compared field
 * by field: another writer inserting at the same time fails loudly instead of mixing up ids.
 */
export async function insertDebtors(db: RiskDatabase, rows: readonly NewDebtor[], now: Date): Promise<number[]> {
  if (rows.length === 0) return [];
  const [before] = await db.prisma.$queryRawUnsafe<Array<{ max_id: number | bigint | null }>>(
    "SELECT MAX(id) AS max_id FROM debtors",
  );
  const previousMax = Number(before?.max_id ?? 0);
  await db.transaction(debtorInsertStatements(rows, now));
  const stored = await db.prisma.$queryRawUnsafe<StoredRow[]>(
    `SELECT id, name, ${moneyText(db.dialect, "total_debt_amount")} AS debt, ${moneyText(db.dialect, "monthly_income")} AS income,
       late_payments_count AS late, employment_status AS employment, contract_type AS contract,
       industry_sector AS industry, family_situation AS family, payment_status AS payment
     FROM debtors WHERE id > ? ORDER BY id LIMIT ?`,
    previousMax,
    rows.length + 1,
  );
  if (stored.length !== rows.length || !stored.every((s, i) => sameDebtor(s, rows[i] as NewDebtor))) {
    throw new ConcurrentInsertError(
      "another process inserted debtors at the same time, so the new ids cannot be told apart; run the generator alone",
    );
  }
  return stored.map((s) => Number(s.id));
}

/** Deletes every debtor and its risk score in one transaction; returns how many debtors there were. */
export async function deleteAllDebtors(db: RiskDatabase): Promise<number> {
  const existing = await db.prisma.debtor.count();
  await db.transaction([
    { sql: "DELETE FROM risk_scores", params: [] },
    { sql: "DELETE FROM debtors", params: [] },
  ]);
  return existing;
}
