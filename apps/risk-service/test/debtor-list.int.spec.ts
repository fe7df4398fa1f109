import { TEST_DIALECTS } from "@smartrecover/db-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, createDebtor, startTestApi, type TestApi, WORKED_EXAMPLE } from "./api-fixtures";

type Item = {
  id: number;
  total_debt_amount: string;
  payment_status: string;
  risk_score: { total_score: number; risk_level: string };
};

const STATUSES = ["UNPAID", "PARTIAL", "PAID"] as const;
const LATE = [0, 1, 3, 6];
const EMPLOYMENT = ["GOVERNMENT_EMPLOYED", "EMPLOYED", "UNEMPLOYED", "STUDENT"];

describe.each(TEST_DIALECTS)("debtor lists on %s", (dialect) => {
  let api: TestApi;
  const created: Item[] = [];

  async function pages(url: string, limit: number): Promise<Item[][]> {
    const all: Item[][] = [];
    let cursor: string | null = null;
    do {
      const separator = url.includes("?") ? "&" : "?";
      const query: string = `${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await api.inject({ url: `${url}${query}` });
      expect(response.statusCode, response.body).toBe(200);
      const body: { items: Item[]; next_cursor: string | null } = response.json();
      all.push(body.items);
      cursor = body.next_cursor;
    } while (cursor !== null && all.length < 100);
    return all;
  }

  beforeAll(async () => {
    api = await startTestApi(dialect, "debtor_list");
    for (let i = 0; i < 23; i++) {
      created.push(
        await createDebtor(api, {
          ...WORKED_EXAMPLE,
          name: `Debtor ${i}`,
          total_debt_amount: `${1000 + i * 500}.${String(i).padStart(2, "0")}`,
          late_payments_count: LATE[i % LATE.length],
          employment_status: EMPLOYMENT[i % EMPLOYMENT.length],
          payment_status: STATUSES[i % STATUSES.length],
        }),
      );
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it("when every page is followed, then each debtor appears once, in id order", async () => {
    const all = await pages(`${API}/debtors/`, 5);
    expect(all.map((page) => page.length)).toEqual([5, 5, 5, 5, 3]);
    expect(all.flat().map((d) => d.id)).toEqual(created.map((d) => d.id));
  });

  it("when no limit is given, then a page holds up to 50; over 1000 is a 400", async () => {
    const response = await api.inject({ url: `${API}/debtors` });
    expect([response.json().items.length, response.json().next_cursor]).toEqual([23, null]);
    expect((await api.inject({ url: `${API}/debtors/?limit=1001` })).statusCode).toBe(400);
    expect((await api.inject({ url: `${API}/debtors/?limit=1000` })).statusCode).toBe(200);
  });

  it("when filtering by payment status and a debt range, then exactly the matching debtors come back, bounds inclusive", async () => {
    const low = created[4]?.total_debt_amount as string;
    const high = created[16]?.total_debt_amount as string;
    const url = `${API}/debtors/?payment_status=PARTIAL&min_debt=${low}&max_debt=${high}`;
    const got = (await pages(url, 2)).flat().map((d) => d.id);
    const cents = (text: string) => Math.round(Number(text) * 100);
    const expected = created
      .filter((d) => d.payment_status === "PARTIAL")
      .filter((d) => cents(d.total_debt_amount) >= cents(low) && cents(d.total_debt_amount) <= cents(high))
      .map((d) => d.id);
    expect(expected.length).toBeGreaterThan(2);
    expect(got).toEqual(expected);
  });

  it("when filtering by risk level, then only debtors whose stored score has that level come back", async () => {
    expect(new Set(created.map((d) => d.risk_score.risk_level)).size).toBeGreaterThan(1);
    for (const level of ["LOW", "MEDIUM", "HIGH", "CRITICAL"]) {
      const got = (await pages(`${API}/debtors/?risk_level=${level}`, 4)).flat().map((d) => d.id);
      expect(got).toEqual(created.filter((d) => d.risk_score.risk_level === level).map((d) => d.id));
    }
  });

  it("when listing high-risk debtors page by page, then HIGH and CRITICAL come highest score first, ties by id", async () => {
    const got = (await pages(`${API}/debtors/high-risk/`, 3)).flat();
    const expected = created
      .filter((d) => ["HIGH", "CRITICAL"].includes(d.risk_score.risk_level))
      .sort((a, b) => b.risk_score.total_score - a.risk_score.total_score || a.id - b.id);
    expect(expected.length).toBeGreaterThan(3);
    expect(got.map((d) => d.id)).toEqual(expected.map((d) => d.id));
  });

  it("when a cursor is forged or belongs to another list, then 400", async () => {
    const listCursor = Buffer.from(JSON.stringify({ id: 3 })).toString("base64url");
    expect((await api.inject({ url: `${API}/debtors/high-risk/?cursor=${listCursor}` })).statusCode).toBe(400);
    for (const bad of [
      "nope",
      Buffer.from('{"id":-1}').toString("base64url"),
      Buffer.from("[1]").toString("base64url"),
    ]) {
      expect((await api.inject({ url: `${API}/debtors/?cursor=${bad}` })).statusCode).toBe(400);
    }
  });

  it("when a filter value is unknown or malformed, then 400 names it", async () => {
    const response = await api.inject({ url: `${API}/debtors/?risk_level=SEVERE&min_debt=-5&colour=red` });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(["colour", "min_debt", "risk_level"]);
  });
});
