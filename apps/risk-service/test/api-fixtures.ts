import type { DebtorInput } from "@smartrecover/contracts";
import { createTestDatabase, type TestDatabase, type TestDialect } from "@smartrecover/db-kit";
import type { HttpApp } from "@smartrecover/service-kit";
import pino from "pino";
import { buildApp } from "../src/app";
import { loadRiskServiceConfig } from "../src/config";
import { openRiskDatabase, type RiskDatabase } from "../src/db/risk-database";

export const API = "/api/risk_service";

export interface TestApi {
  app: HttpApp;
  db: RiskDatabase;
  close(): Promise<void>;
}

/** The real app on a fresh database of the given dialect, logging nothing. */
export async function startTestApi(dialect: TestDialect, label: string): Promise<TestApi> {
  const testDb: TestDatabase = createTestDatabase(dialect, label);
  const db = await openRiskDatabase(testDb.url);
  const config = loadRiskServiceConfig({ RISK_DATABASE_URL: testDb.url });
  const app = await buildApp(config, { db, logger: pino({ level: "silent" }), defaultMetrics: false });
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.close();
      await testDb.drop();
    },
  };
}

/** domain.md §3.7's worked example: 377 points, CRITICAL. */
export const WORKED_EXAMPLE = {
  name: "Worked Example",
  total_debt_amount: "30000.00",
  monthly_income: "4000.00",
  late_payments_count: 3,
  employment_status: "UNEMPLOYED",
  contract_type: "FREELANCE",
  industry_sector: "HOSPITALITY",
  family_situation: "SINGLE_WITH_DEPENDENTS",
  payment_status: "UNPAID",
} satisfies DebtorInput;

export async function createDebtor(api: TestApi, body: Record<string, unknown>) {
  const response = await api.app.inject({ method: "POST", url: `${API}/debtors/`, payload: body });
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Every debtor and score row, as stored, to prove a rejected request wrote nothing. */
export async function snapshot(db: RiskDatabase): Promise<string> {
  const debtors = await db.sql.query("SELECT * FROM debtors ORDER BY id");
  const scores = await db.sql.query("SELECT * FROM risk_scores ORDER BY debtor_id");
  return JSON.stringify({ debtors, scores }, (_key, value) => (typeof value === "bigint" ? String(value) : value));
}
