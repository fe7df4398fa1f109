import { parseCents } from "@smartrecover/contracts";
import { TEST_DIALECTS } from "@smartrecover/db-kit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreDebtor } from "../src/scoring/risk-scorer";
import { corrupt, corruption, FIELDS, validDebtor } from "./api-arbitraries";
import { API, createDebtor, snapshot, startTestApi, type TestApi, WORKED_EXAMPLE } from "./api-fixtures";

// Runs per property and dialect; FUZZ_RUNS scales them all (e.g. FUZZ_RUNS=5 for a long soak).
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (n: number) => ({ numRuns: Math.round(n * SCALE) });

type Body = Record<string, unknown>;

function isEmptyObject(text: string): boolean {
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
  } catch {
    return false;
  }
}

/** What a stored debtor must look like for a body that was accepted. */
function expectStoredAsSent(stored: Body & { risk_score: { total_score: number; risk_level: string } }, sent: Body) {
  expect(stored.name).toBe(sent.name);
  expect(parseCents(stored.total_debt_amount as string)).toBe(parseCents(sent.total_debt_amount as string));
  expect(parseCents(stored.monthly_income as string)).toBe(parseCents(sent.monthly_income as string));
  expect(stored.total_debt_amount).toMatch(/^\d+\.\d{2}$/);
  for (const field of ["late_payments_count", "employment_status", "industry_sector", "family_situation"]) {
    expect(stored[field]).toBe(sent[field]);
  }
  expect(stored.contract_type).toBe(sent.contract_type ?? "PERMANENT");
  expect(stored.payment_status).toBe(sent.payment_status ?? "UNPAID");
  const expected = scoreDebtor({
    totalDebtCents: parseCents(sent.total_debt_amount as string) as number,
    monthlyIncomeCents: parseCents(sent.monthly_income as string) as number,
    latePaymentsCount: sent.late_payments_count as number,
    employmentStatus: sent.employment_status as string,
    contractType: (sent.contract_type as string) ?? "PERMANENT",
    industrySector: sent.industry_sector as string,
    familySituation: sent.family_situation as string,
  });
  expect(stored.risk_score).toMatchObject({ total_score: expected.totalScore, risk_level: expected.riskLevel });
}

describe.each(TEST_DIALECTS)("debtor API under generated requests on %s", (dialect) => {
  let api: TestApi;
  let existing: Body & { id: number };
  beforeAll(async () => {
    api = await startTestApi(dialect, "debtor_fuzz");
    existing = await createDebtor(api, WORKED_EXAMPLE);
  });
  afterAll(async () => {
    await api?.close();
  });

  it("when a create body has bad, missing or unknown fields, then 400 names each of them and nothing is written", async () => {
    const before = await snapshot(api.db);
    await fc.assert(
      fc.asyncProperty(validDebtor, fc.array(corruption, { minLength: 1, maxLength: 4 }), async (body, changes) => {
        const response = await api.inject({
          method: "POST",
          url: `${API}/debtors/`,
          payload: corrupt(body, changes),
        });
        expect(response.statusCode, response.body).toBe(400);
        const named = new Set(response.json().details.map((d: { field: string }) => d.field));
        for (const change of changes) expect(named, `${change.kind} ${change.field}`).toContain(change.field);
      }),
      runs(800),
    );
    expect(await snapshot(api.db)).toEqual(before);
  });

  it("when PUT or PATCH carries a bad field, then 400 and the debtor is unchanged", async () => {
    const before = await snapshot(api.db);
    await fc.assert(
      fc.asyncProperty(
        validDebtor,
        fc.array(corruption, { minLength: 1, maxLength: 3 }),
        fc.constantFrom("PUT", "PATCH"),
        async (body, changes, method) => {
          const payload = corrupt(body, method === "PATCH" ? changes.filter((c) => c.kind !== "missing") : changes);
          if (method === "PATCH" && changes.every((c) => c.kind === "missing")) return;
          const response = await api.inject({ method, url: `${API}/debtors/${existing.id}/`, payload });
          expect(response.statusCode, response.body).toBe(400);
        },
      ),
      runs(400),
    );
    expect(await snapshot(api.db)).toEqual(before);
  });

  it("when the body is arbitrary text or JSON, then the answer is a 4xx, never a 5xx", async () => {
    const before = await snapshot(api.db);
    const payload = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc.constantFrom('{"__proto__": {"x": 1}}', '{"constructor": {"prototype": {}}}', "{", "", "null", "[]"),
    );
    const contentType = fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/xml",
    );
    await fc.assert(
      fc.asyncProperty(payload, contentType, fc.constantFrom("POST", "PUT", "PATCH"), async (text, type, method) => {
        if (method === "PATCH" && type.startsWith("application/json") && isEmptyObject(text)) return; // a valid patch
        const url = method === "POST" ? `${API}/debtors/` : `${API}/debtors/${existing.id}/`;
        const response = await api.inject({ method, url, headers: { "content-type": type }, payload: text });
        expect(response.statusCode, `${response.statusCode} ${response.body}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, response.body).toBeLessThan(500);
      }),
      runs(500),
    );
    expect(await snapshot(api.db)).toEqual(before);
  });

  it("when ids and query strings are arbitrary, then reads answer 200, 400 or 404, never a 5xx", async () => {
    const segment = fc.oneof(fc.string({ maxLength: 40 }), fc.nat().map(String), fc.bigInt({ min: 0n }).map(String));
    const query = fc.dictionary(
      fc.constantFrom("limit", "cursor", "risk_level", "payment_status", "min_debt", "max_debt", "top", "x"),
      fc.oneof(fc.string({ maxLength: 30 }), fc.nat(2000).map(String), fc.constantFrom("HIGH", "PAID", "10.00", "-1")),
    );
    const path = fc.constantFrom(
      "debtors/{id}/",
      "debtors/{id}/score/",
      "debtors/",
      "debtors/high-risk/",
      "debtors/priority/",
    );
    await fc.assert(
      fc.asyncProperty(path, segment, query, async (template, id, params) => {
        const url = `${API}/${template.replace("{id}", encodeURIComponent(id))}?${new URLSearchParams(params)}`;
        const response = await api.inject({ url });
        expect([200, 400, 404], `${url} → ${response.statusCode} ${response.body}`).toContain(response.statusCode);
      }),
      runs(500),
    );
  });

  it("when a create body is valid, then 201 and the debtor is stored exactly and scored per domain.md", async () => {
    await fc.assert(
      fc.asyncProperty(validDebtor, async (body) => {
        const response = await api.inject({ method: "POST", url: `${API}/debtors/`, payload: body });
        expect(response.statusCode, response.body).toBe(201);
        const read = (await api.inject({ url: `${API}/debtors/${response.json().id}/` })).json();
        expectStoredAsSent(read, body);
      }),
      runs(250),
    );
  });

  it("when a PATCH is valid, then exactly the sent fields change and the score follows the merged data", async () => {
    await fc.assert(
      fc.asyncProperty(validDebtor, fc.subarray([...FIELDS]), async (source, picked) => {
        const before = (await api.inject({ url: `${API}/debtors/${existing.id}/` })).json();
        const patch = Object.fromEntries(picked.filter((f) => f in source).map((f) => [f, source[f]]));
        const response = await api.inject({
          method: "PATCH",
          url: `${API}/debtors/${existing.id}`,
          payload: patch,
        });
        expect(response.statusCode, response.body).toBe(200);
        const merged = { ...before, ...patch };
        expectStoredAsSent(response.json(), merged);
      }),
      runs(200),
    );
  });
});
