import { HOSTILE_STRINGS, TEST_DIALECTS, tableContents } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, startTestApi, type TestApi, WORKED_EXAMPLE } from "../api-fixtures";

const ENUM_FIELDS = ["employment_status", "contract_type", "industry_sector", "family_situation", "payment_status"];
const MONEY_FIELDS = ["total_debt_amount", "monthly_income"];
const LIST_FILTERS = ["risk_level", "payment_status", "min_debt", "max_debt", "cursor", "limit"];
const q = encodeURIComponent;

// Injection strings in every text field the risk-service API takes: free text is stored byte for
// byte, everything else is refused with a 4xx, and afterwards every table is still there with
// exactly the rows the accepted requests wrote, every other row as it was.
describe.each(TEST_DIALECTS)("risk-service API under SQL injection on %s", (dialect) => {
  let api: TestApi;
  let before: Record<string, string[]>;
  let existingId: number;

  beforeAll(async () => {
    api = await startTestApi(dialect, "sec_injection");
    existingId = (await create({ ...WORKED_EXAMPLE, name: "Existing Debtor" })).id;
    before = await tableContents(api.db);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(["debtors", "risk_scores", "processing_runs", "processing_errors", "outbox_messages"]),
    );
  });

  afterAll(() => api?.close());

  const sizes = (contents: Record<string, string[]>) =>
    Object.fromEntries(Object.entries(contents).map(([table, rows]) => [table, rows.length]));
  const request = (method: "GET" | "POST" | "PUT" | "PATCH", url: string, payload?: object) =>
    api.inject({ method, url: `${API}${url}`, ...(payload ? { payload } : {}) });
  async function create(body: object): Promise<{ id: number; name: string }> {
    const response = await request("POST", "/debtors/", body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }
  const storedName = async (id: number) => {
    const rows = await api.db.query<{ name: string }>("SELECT name FROM debtors WHERE id = ?", [id]);
    return rows[0]?.name;
  };

  it("when a debtor's name is an injection string, then it is created, replaced and patched with the name stored byte for byte", async () => {
    for (const hostile of HOSTILE_STRINGS) {
      const created = await create({ ...WORKED_EXAMPLE, name: hostile });
      expect(created.name).toBe(hostile);
      expect(Buffer.from((await storedName(created.id)) ?? "")).toEqual(Buffer.from(hostile));

      const replaced = `${hostile} (replaced)`;
      const put = await request("PUT", `/debtors/${created.id}/`, { ...WORKED_EXAMPLE, name: replaced });
      expect(put.statusCode, put.body).toBe(200);
      expect(await storedName(created.id)).toBe(replaced);

      const patched = `(patched) ${hostile}`;
      const patch = await request("PATCH", `/debtors/${created.id}/`, { name: patched });
      expect(patch.statusCode, patch.body).toBe(200);
      expect((await request("GET", `/debtors/${created.id}/`)).json().name).toBe(patched);
      expect(await storedName(created.id)).toBe(patched);
    }
    const after = await tableContents(api.db);
    expect(sizes(after)).toEqual({
      ...sizes(before),
      debtors: (before.debtors?.length ?? 0) + HOSTILE_STRINGS.length,
      risk_scores: (before.risk_scores?.length ?? 0) + HOSTILE_STRINGS.length,
    });
    // The rows that were there before are still there, unchanged.
    expect(after.debtors).toEqual(expect.arrayContaining(before.debtors ?? []));
    expect(after.risk_scores).toEqual(expect.arrayContaining(before.risk_scores ?? []));
    before = after;
  });

  it("when an enum or money field of a body is an injection string, then the answer is 400 naming the field and nothing is written", async () => {
    for (const hostile of HOSTILE_STRINGS) {
      for (const field of [...ENUM_FIELDS, ...MONEY_FIELDS]) {
        const post = await request("POST", "/debtors/", { ...WORKED_EXAMPLE, [field]: hostile });
        expect(post.statusCode, `${field}=${hostile}`).toBe(400);
        expect(post.json().details.map((d: { field: string }) => d.field)).toEqual([field]);
        const patch = await request("PATCH", `/debtors/${existingId}/`, { [field]: hostile });
        expect(patch.statusCode, `${field}=${hostile}`).toBe(400);
      }
      const run = await request("POST", "/process-runs/", { threshold: hostile });
      expect(run.statusCode).toBe(400);
      expect((await request("POST", "/process-runs/", { batch_size: hostile })).statusCode).toBe(400);
    }
    expect(await tableContents(api.db)).toEqual(before);
  });

  it("when a filter, cursor, page size or id is an injection string, then the answer is 400 (or 404 for an id) and nothing changes", async () => {
    const forged = [
      Buffer.from(JSON.stringify({ id: "1 OR 1=1" })).toString("base64url"),
      Buffer.from(JSON.stringify({ id: 0, extra: "'; DROP TABLE debtors; --" })).toString("base64url"),
      Buffer.from('{"total_score":"1; --","id":1}').toString("base64url"),
    ];
    for (const hostile of [...HOSTILE_STRINGS, ...forged]) {
      for (const filter of LIST_FILTERS) {
        const response = await request("GET", `/debtors/?${filter}=${q(hostile)}`);
        expect(response.statusCode, `${filter}=${hostile}`).toBe(400);
      }
      for (const url of [
        `/debtors/high-risk/?cursor=${q(hostile)}`,
        `/debtors/high-risk/?limit=${q(hostile)}`,
        `/debtors/priority/?top=${q(hostile)}`,
        `/debtors/${q(hostile)}/`,
        `/debtors/${q(hostile)}/score/`,
      ]) {
        expect((await request("GET", url)).statusCode, url).toBe(400);
      }
      expect([400, 404]).toContain((await request("GET", `/process-runs/${q(hostile)}/`)).statusCode);
      expect((await request("PATCH", `/debtors/${q(hostile)}/`, { name: "x" })).statusCode).toBe(400);
    }
    expect(await tableContents(api.db)).toEqual(before);
  });
});
