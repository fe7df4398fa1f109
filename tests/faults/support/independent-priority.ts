import type { SqlExecutor } from "@smartrecover/db-kit";

// domain.md §3 and §4 written out again, on purpose apart from risk-service's scorer: the fault
// scenarios compare what the service queued with what this says the `debtors` table deserves.

const EMPLOYMENT: Record<string, number> = {
  EMPLOYED: 2,
  GOVERNMENT_EMPLOYED: 1,
  SELF_EMPLOYED: 5,
  RETIRED: 4,
  UNEMPLOYED: 9,
  STUDENT: 7,
};
const CONTRACT: Record<string, number> = { PERMANENT: 2, CONTRACT: 5, TEMPORARY: 7, FREELANCE: 8 };
const INDUSTRY: Record<string, number> = {
  GOVERNMENT: 1,
  HEALTHCARE: 2,
  UTILITIES: 2,
  EDUCATION: 2,
  INSURANCE: 3,
  TECHNOLOGY: 3,
  FINANCE: 4,
  PROFESSIONAL_SERVICES: 4,
  TELECOMMUNICATIONS: 4,
  MANUFACTURING: 5,
  TRANSPORTATION: 5,
  ENERGY: 6,
  RETAIL: 7,
  REAL_ESTATE: 7,
  HOSPITALITY: 8,
  CONSTRUCTION: 8,
  ENTERTAINMENT: 9,
};
const FAMILY: Record<string, number> = {
  MARRIED_DUAL_INCOME: 1,
  MARRIED_SINGLE_INCOME: 3,
  SINGLE_NO_DEPENDENTS: 4,
  UNMARRIED_LIVING_TOGETHER: 5,
  DIVORCED_NO_DEPENDENTS: 5,
  SINGLE_WITH_DEPENDENTS: 8,
  DIVORCED_WITH_DEPENDENTS: 9,
  WIDOWED_WITH_DEPENDENTS: 9,
};

/** §3.3–3.6: a value outside the table scores 5. */
const category = (table: Record<string, number>, value: string) => (value in table ? (table[value] as number) : 5);

/** "1234.5" → 123450n: exact decimal arithmetic in cents, no float anywhere. */
function cents(decimal: string): bigint {
  const [whole = "0", fraction = ""] = decimal.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
}

/** §3.1: ratio = debt / income, bands compared exactly (debt ≤ k × income), income ≤ 0 → 10. */
function debtRatio(debt: bigint, income: bigint): number {
  if (income <= 0n) return 10;
  if (debt <= income) return 2;
  if (debt <= 3n * income) return 5;
  if (debt <= 6n * income) return 7;
  return 10;
}

/** §3.2 */
function paymentHistory(late: number): number {
  if (late === 0) return 1;
  if (late <= 2) return 4;
  if (late <= 5) return 7;
  return 10;
}

interface StoredDebtor {
  id: number | bigint;
  debt: string;
  income: string;
  late: number | bigint;
  employment: string;
  contract: string;
  industry: string;
  family: string;
}

/**
 * The ids of the debtors whose priority (§4: total score × debt) is strictly above the threshold
 * (a decimal string, default 500000), scored from the `debtors` table as it is now.
 */
export async function expectedHighPriority(db: SqlExecutor, threshold = "500000"): Promise<number[]> {
  const text = (column: string) => (db.dialect === "sqlite" ? `printf('%.2f', ${column})` : `CAST(${column} AS CHAR)`);
  const rows = await db.query<StoredDebtor>(
    `SELECT id, ${text("total_debt_amount")} AS debt, ${text("monthly_income")} AS income, late_payments_count AS late,
       employment_status AS employment, contract_type AS contract, industry_sector AS industry, family_situation AS family
     FROM debtors ORDER BY id`,
  );
  const limit = cents(threshold);
  return rows
    .filter((row) => {
      const debt = cents(row.debt);
      const total =
        debtRatio(debt, cents(row.income)) * 9 +
        paymentHistory(Number(row.late)) * 9 +
        category(EMPLOYMENT, row.employment) * 8 +
        category(CONTRACT, row.contract) * 7 +
        category(INDUSTRY, row.industry) * 6 +
        category(FAMILY, row.family) * 6;
      // priority = total × debt > threshold, both sides multiplied by 100 to stay in whole cents.
      return BigInt(total) * debt > limit;
    })
    .map((row) => Number(row.id));
}
