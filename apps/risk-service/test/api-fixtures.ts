import type { ServiceDatabase } from "@smartrecover/db-kit";
import type { TestDialect } from "@smartrecover/db-kit/testing";
import type { HttpApp, Role } from "@smartrecover/service-kit";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { buildApp } from "../src/app";
import type { DebtorInput } from "../src/debtors/debtor.schemas";
import type { RiskService } from "../src/service";
import { openTestService, testTokens } from "./service-fixtures";

export const API = "/api/risk_service";

/** Who a test request is sent as: a role (subject `tester-<role>`), a role and subject, or nobody. */
export type Caller = Role | { role: Role; subject: string } | "anonymous";

export interface TestApi {
  app: HttpApp;
  /** `app.inject` with a bearer token of the caller (default operator: may call every risk-service route). */
  inject(options: InjectOptions | string, as?: Caller): Promise<LightMyRequestResponse>;
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
    inject: async (options, as = "operator") => {
      const request = typeof options === "string" ? { url: options } : options;
      return app.inject({ ...request, headers: { ...(await authorization(as)), ...request.headers } });
    },
    service: opened.service,
    db: opened.service.db,
    async close() {
      await app.close();
      await opened.close();
    },
  };
}

/** The Authorization header of a caller (none for "anonymous"). */
export async function authorization(as: Caller): Promise<Record<string, string>> {
  if (as === "anonymous") return {};
  const token = typeof as === "string" ? await testTokens.token(as) : await testTokens.token(as.role, as);
  return { authorization: `Bearer ${token}` };
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
  const response = await api.inject({ method: "POST", url: `${API}/debtors/`, payload: body });
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

export { tableContents as snapshot } from "@smartrecover/db-kit/testing";
