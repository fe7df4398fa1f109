import { TEST_DIALECTS } from "@smartrecover/db-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, createDebtor, snapshot, startTestApi, type TestApi, WORKED_EXAMPLE } from "./api-fixtures";
import { rowCount } from "./service-fixtures";

describe.each(TEST_DIALECTS)("debtor API on %s", (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect, "debtor_api");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("when a debtor is created, then 201 returns it stored, with defaults, scored per domain.md's worked example", async () => {
    const { contract_type: _c, payment_status: _p, ...withoutDefaults } = WORKED_EXAMPLE;
    const response = await api.inject({
      method: "POST",
      url: `${API}/debtors`,
      payload: { ...withoutDefaults, contract_type: "FREELANCE" },
    });
    expect(response.statusCode).toBe(201);
    const debtor = response.json();
    expect(debtor).toMatchObject({ ...WORKED_EXAMPLE, payment_status: "UNPAID" });
    expect(debtor.risk_score).toMatchObject({
      total_score: 377,
      risk_level: "CRITICAL",
      factor_breakdown: {
        debt_ratio: 10,
        payment_history: 7,
        employment_status: 9,
        contract_type: 8,
        industry_sector: 8,
        family_situation: 8,
      },
    });
    const read = await api.inject({ url: `${API}/debtors/${debtor.id}/` });
    expect(read.json()).toEqual(debtor);
  });

  it("when contract_type is omitted, then it defaults to PERMANENT", async () => {
    const { contract_type: _omit, ...body } = WORKED_EXAMPLE;
    expect((await createDebtor(api, body)).contract_type).toBe("PERMANENT");
  });

  it("when amounts sit at the edges, then they come back exactly as decimal strings", async () => {
    const debtor = await createDebtor(api, {
      ...WORKED_EXAMPLE,
      total_debt_amount: "99999999.99",
      monthly_income: "0.1",
    });
    expect([debtor.total_debt_amount, debtor.monthly_income]).toEqual(["99999999.99", "0.10"]);
    const zero = await createDebtor(api, { ...WORKED_EXAMPLE, total_debt_amount: "0", monthly_income: "0" });
    expect([zero.total_debt_amount, zero.monthly_income, zero.risk_score.factor_breakdown.debt_ratio]).toEqual([
      "0.00",
      "0.00",
      10,
    ]);
  });

  it("when PUT replaces a debtor, then every field changes, omitted defaults apply and it is re-scored", async () => {
    const created = await createDebtor(api, WORKED_EXAMPLE);
    const replacement = {
      name: "Renamed",
      total_debt_amount: "1000.00",
      monthly_income: "5000.00",
      late_payments_count: 0,
      employment_status: "GOVERNMENT_EMPLOYED",
      industry_sector: "GOVERNMENT",
      family_situation: "MARRIED_DUAL_INCOME",
    };
    const response = await api.inject({
      method: "PUT",
      url: `${API}/debtors/${created.id}/`,
      payload: replacement,
    });
    expect(response.statusCode).toBe(200);
    const updated = response.json();
    expect(updated).toMatchObject({ ...replacement, contract_type: "PERMANENT", payment_status: "UNPAID" });
    // 2×9 + 1×9 + 1×8 + 2×7 + 1×6 + 1×6 = 61 → LOW
    expect([updated.risk_score.total_score, updated.risk_score.risk_level]).toEqual([61, "LOW"]);
    expect(updated.created_at).toBe(created.created_at);
  });

  it("when PATCH changes the income, then only the income changes and the score follows it", async () => {
    const created = await createDebtor(api, WORKED_EXAMPLE);
    const response = await api.inject({
      method: "PATCH",
      url: `${API}/debtors/${created.id}`,
      payload: { monthly_income: "30000.00" },
    });
    expect(response.statusCode).toBe(200);
    const patched = response.json();
    expect(patched).toMatchObject({ ...WORKED_EXAMPLE, monthly_income: "30000.00" });
    expect(patched.risk_score.factor_breakdown.debt_ratio).toBe(2);
    expect(patched.risk_score.total_score).toBe(377 - 8 * 9);
  });

  it("when an update is invalid, then 400 names the fields and nothing changes", async () => {
    const created = await createDebtor(api, WORKED_EXAMPLE);
    const before = await snapshot(api.db);
    const patch = await api.inject({
      method: "PATCH",
      url: `${API}/debtors/${created.id}/`,
      payload: { monthly_income: "12.345", payment_status: "LOST", id: 5 },
    });
    expect(patch.statusCode).toBe(400);
    expect(
      patch
        .json()
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(["id", "monthly_income", "payment_status"]);
    const put = await api.inject({ method: "PUT", url: `${API}/debtors/${created.id}/`, payload: { name: "x" } });
    expect(put.statusCode).toBe(400);
    expect(await snapshot(api.db)).toEqual(before);
  });

  it("when the id is unknown, then 404; when it is not a number, then 400", async () => {
    for (const [method, suffix] of [
      ["GET", ""],
      ["GET", "score/"],
      ["POST", "score/"],
      ["PATCH", ""],
      ["PUT", ""],
    ] as const) {
      const payload = method === "PUT" ? WORKED_EXAMPLE : method === "PATCH" ? {} : undefined;
      const unknown = await api.inject({ method, url: `${API}/debtors/987654/${suffix}`, payload });
      expect(unknown.statusCode, `${method} ${suffix}`).toBe(404);
      const huge = await api.inject({ method, url: `${API}/debtors/99999999999999999999/${suffix}`, payload });
      expect(huge.statusCode, `${method} ${suffix} huge`).toBe(404);
      const bad = await api.inject({ method, url: `${API}/debtors/12abc/${suffix}`, payload });
      expect(bad.statusCode, `${method} ${suffix} bad`).toBe(400);
    }
  });

  it("when a debtor without a score is read, then GET score is 404 and writes nothing; POST scores it, created true then false, one score row", async () => {
    const id = await api.db.transaction((tx) =>
      api.service.repositories.debtors.insert(
        tx,
        {
          name: "Unscored",
          totalDebtCents: 3_000_000,
          monthlyIncomeCents: 400_000,
          latePaymentsCount: 3,
          employmentStatus: "UNEMPLOYED",
          contractType: "FREELANCE",
          industrySector: "HOSPITALITY",
          familySituation: "SINGLE_WITH_DEPENDENTS",
          paymentStatus: "UNPAID",
        },
        new Date(),
      ),
    );
    expect((await api.inject({ url: `${API}/debtors/${id}/` })).json().risk_score).toBeNull();
    const before = await snapshot(api.db);
    const unscored = await api.inject(`${API}/debtors/${id}/score/`, "viewer");
    expect([unscored.statusCode, unscored.json().message]).toEqual([404, expect.stringMatching(/no risk score yet/)]);
    expect(await snapshot(api.db)).toEqual(before);
    const asViewer = await api.inject({ method: "POST", url: `${API}/debtors/${id}/score/` }, "viewer");
    expect(asViewer.statusCode).toBe(403);
    expect(await snapshot(api.db)).toEqual(before);

    const first = (await api.inject({ method: "POST", url: `${API}/debtors/${id}/score/` })).json();
    expect(first).toMatchObject({ debtor_id: id, total_score: 377, risk_level: "CRITICAL", created: true });
    expect(first.normalized_scores.debt_ratio).toBe(10);
    const second = (await api.inject({ method: "POST", url: `${API}/debtors/${id}/score` })).json();
    expect(second.created).toBe(false);
    expect(await rowCount(api.db, "risk_scores", "debtor_id = ?", [id])).toBe(1);

    const scored = await snapshot(api.db);
    const stored = await api.inject(`${API}/debtors/${id}/score/`, "viewer");
    expect(stored.statusCode).toBe(200);
    const { created: _created, ...withoutCreated } = second;
    expect(stored.json()).toEqual(withoutCreated);
    expect(await snapshot(api.db)).toEqual(scored);
  });

  it("when a stored row holds a categorical value the API no longer accepts, then it is still readable and scores 5", async () => {
    const created = await createDebtor(api, WORKED_EXAMPLE);
    await api.db.execute("UPDATE debtors SET employment_status = 'ASTRONAUT' WHERE id = ?", [created.id]);
    const read = await api.inject({ url: `${API}/debtors/${created.id}/` });
    expect([read.statusCode, read.json().employment_status]).toEqual([200, "ASTRONAUT"]);
    const score = (await api.inject({ method: "POST", url: `${API}/debtors/${created.id}/score/` })).json();
    expect(score.normalized_scores.employment_status).toBe(5);
  });

  it("when the readiness probe runs, then the database answers and /readyz is 200", async () => {
    const response = await api.inject({ url: "/readyz" });
    expect([response.statusCode, response.json().status]).toEqual([200, "ready"]);
  });
});
