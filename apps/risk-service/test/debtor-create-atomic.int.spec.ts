import { TEST_DIALECTS, tableContents } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, startTestApi, type TestApi, WORKED_EXAMPLE } from "./api-fixtures";
import { rowCount } from "./service-fixtures";

// A debtor and its score are one unit: the database itself refuses the score write here (a
// trigger), and the debtor written just before it in the same request must not survive.
describe.each(TEST_DIALECTS)("creating a debtor when its score cannot be saved, on %s", (dialect) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(dialect, "create_atomic");
  });
  afterAll(() => api?.close());

  const refuseScores = () =>
    api.db.execute(
      dialect === "sqlite"
        ? "CREATE TRIGGER refuse_scores BEFORE INSERT ON risk_scores BEGIN SELECT RAISE(ABORT, 'score write refused'); END"
        : "CREATE TRIGGER refuse_scores BEFORE INSERT ON risk_scores FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'score write refused'",
    );

  it("when the score write fails, then the request fails and no debtor row remains", async () => {
    await api.inject({ method: "POST", url: `${API}/debtors/`, payload: { ...WORKED_EXAMPLE, name: "Before" } });
    await refuseScores();
    const before = await tableContents(api.db);

    const response = await api.inject({ method: "POST", url: `${API}/debtors/`, payload: WORKED_EXAMPLE });

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("score write refused");
    expect(await tableContents(api.db)).toEqual(before);
    expect(await rowCount(api.db, "debtors", "name = ?", [WORKED_EXAMPLE.name])).toBe(0);
  });

  it("when the score can be saved again, then the same request stores the debtor with its score", async () => {
    await api.db.execute("DROP TRIGGER refuse_scores");
    const response = await api.inject({ method: "POST", url: `${API}/debtors/`, payload: WORKED_EXAMPLE });
    expect(response.statusCode, response.body).toBe(201);
    const { id } = response.json();
    expect(await rowCount(api.db, "debtors", "id = ?", [id])).toBe(1);
    expect(await rowCount(api.db, "risk_scores", "debtor_id = ?", [id])).toBe(1);
  });
});
