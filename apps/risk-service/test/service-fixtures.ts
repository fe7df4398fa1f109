import { lastInsertId, type ServiceDatabase, type SqlExecutor } from "@smartrecover/db-kit";
import { createTestDatabase, type TestDialect } from "@smartrecover/db-kit/testing";
import { createTestTokens } from "@smartrecover/service-kit/testing";
import { loadRiskServiceConfig } from "../src/config";
import { openRiskService, type RiskService, type RiskServiceOptions } from "../src/service";

export interface TestService {
  readonly service: RiskService;
  readonly url: string;
  /** Closes the service, then drops its database. */
  close(): Promise<void>;
}

/** Tokens every test service accepts: its AUTH_SIGNING_KEY is this key. */
export const testTokens = createTestTokens();

/** Test services verify tokens of `testTokens` and never rate-limit (tests send many requests as one subject). */
export const TEST_AUTH_ENV = { AUTH_SIGNING_KEY: testTokens.signingKey, RATE_LIMIT_PER_MINUTE: "1000000" };

/** The real service from its composition root, on a fresh database of the given dialect. */
export async function openTestService(
  dialect: TestDialect,
  label: string,
  options: RiskServiceOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<TestService> {
  const testDb = createTestDatabase(dialect, label);
  const config = loadRiskServiceConfig({ ...TEST_AUTH_ENV, ...options.env, RISK_DATABASE_URL: testDb.url });
  const service = await openRiskService(config, options);
  return {
    service,
    url: testDb.url,
    async close() {
      await service.close();
      await testDb.drop();
    },
  };
}

type Table = "debtors" | "risk_scores" | "processing_runs" | "processing_errors" | "outbox_messages";

/** Rows of one table, counted by the test, not by the code under test. */
export async function rowCount(
  db: SqlExecutor,
  table: Table,
  where = "1 = 1",
  params: unknown[] = [],
): Promise<number> {
  const [row] = await db.query<{ n: number | bigint }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params);
  return Number(row?.n ?? 0);
}

/** A debtors row as a person would write it: money as decimal text, categorical values as any text. */
export interface DebtorRowInput {
  id?: number;
  name: string;
  totalDebtAmount: string;
  monthlyIncome: string;
  latePaymentsCount: number;
  employmentStatus: string;
  contractType?: string;
  industrySector: string;
  familySituation: string;
  paymentStatus?: string;
}

/** Inserts debtors with plain SQL, bypassing the service's repositories; returns their ids. */
export async function insertDebtorRows(db: ServiceDatabase, rows: readonly DebtorRowInput[]): Promise<number[]> {
  const at = new Date();
  return db.transaction(async (tx) => {
    const ids: number[] = [];
    for (const row of rows) {
      await tx.execute(
        `INSERT INTO debtors (${row.id === undefined ? "" : "id, "}name, total_debt_amount, monthly_income, late_payments_count,
          employment_status, contract_type, industry_sector, family_situation, payment_status, created_at, updated_at)
          VALUES (${row.id === undefined ? "" : "?, "}?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          ...(row.id === undefined ? [] : [row.id]),
          row.name,
          row.totalDebtAmount,
          row.monthlyIncome,
          row.latePaymentsCount,
          row.employmentStatus,
          row.contractType ?? "PERMANENT",
          row.industrySector,
          row.familySituation,
          row.paymentStatus ?? "UNPAID",
          at,
          at,
        ],
      );
      ids.push(await lastInsertId(tx));
    }
    return ids;
  });
}
