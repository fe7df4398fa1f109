import type { ServiceDatabase } from "@smartrecover/db-kit";
import type { TestDialect } from "@smartrecover/db-kit/testing";
import type { HttpApp } from "@smartrecover/service-kit";
import { buildApp } from "../src/app";
import type { DebtorInput } from "../src/debtors/debtor.schemas";
import type { RiskService } from "../src/service";
import { openTestService } from "./service-fixtures";

export const API = "/api/risk_service";

export interface TestApi {
  app: HttpApp;
  service: RiskService;
  db: ServiceDatabase;
  close(): Promise<void>;
}

/** The real app on the real service, on a fresh database of the given dialect, logging nothing. */
export async function startTestApi(dialect: TestDialect, label: string): Promise<TestApi> {
  const opened = await openTestService(dialect, label);
  const app = await buildApp(opened.service.config, opened.service, { defaultMetrics: false });
  return {
    app,
    service: opened.service,
    db: opened.service.db,
    async close() {
      await app.close();
      await opened.close();
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

export { tableContents as snapshot } from "@smartrecover/db-kit/testing";
