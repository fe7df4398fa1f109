import { TEST_DIALECTS } from "@smartrecover/db-kit/testing";
import { capturingLogger } from "@smartrecover/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { API, authorization } from "./api-fixtures";
import { insertDebtorRows, openTestService, type TestService } from "./service-fixtures";

// What a database error says (here: a trigger's message) can name hosts, users or values; a failed
// run must keep it in the log and show only a code and a generic sentence.
const DRIVER_DETAIL = "refused by mysql://scorer:hunter2@db.internal";

describe.each(TEST_DIALECTS)("a processing run that fails on %s", (dialect) => {
  let opened: TestService;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const { logger, logs } = capturingLogger();

  beforeAll(async () => {
    opened = await openTestService(dialect, "run_failure", { logger });
    app = await buildApp(opened.service.config, opened.service, { defaultMetrics: false });
    await insertDebtorRows(
      opened.service.db,
      Array.from({ length: 5 }, (_, i) => ({
        name: `Debtor ${i}`,
        totalDebtAmount: `${1000 + i}.00`,
        monthlyIncome: "2000.00",
        latePaymentsCount: i,
        employmentStatus: "EMPLOYED",
        industrySector: "RETAIL",
        familySituation: "SINGLE",
      })),
    );
    await opened.service.db.execute(
      dialect === "sqlite"
        ? `CREATE TRIGGER refuse_scores BEFORE INSERT ON risk_scores BEGIN SELECT RAISE(ABORT, '${DRIVER_DETAIL}'); END`
        : `CREATE TRIGGER refuse_scores BEFORE INSERT ON risk_scores FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${DRIVER_DETAIL}'`,
    );
  });
  afterAll(async () => {
    await app?.close();
    await opened?.close();
  });

  it("when the database refuses its writes, then the run is FAILED with a code and a generic reason, and the driver's message is only in the log", async () => {
    const headers = await authorization("operator");
    const start = await app.inject({
      method: "POST",
      url: `${API}/process-runs/`,
      headers,
      payload: { batch_size: 2 },
    });
    expect(start.statusCode).toBe(202);
    const runId = start.json().run_id;
    let status = start.json();
    for (let i = 0; i < 200 && status.status !== "FAILED"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await app.inject({ url: `${API}/process-runs/${runId}/`, headers })).json();
    }
    expect(status).toMatchObject({
      status: "FAILED",
      failure_code: "DATABASE_ERROR",
      failure_reason: expect.stringMatching(/^the database refused or lost a statement/),
    });
    const [row] = await opened.service.db.query<{ failure_reason: string }>(
      "SELECT failure_reason FROM processing_runs WHERE id = ?",
      [runId],
    );
    for (const text of [JSON.stringify(status), String(row?.failure_reason)]) {
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain("db.internal");
    }
    await opened.service.processRuns.idle();
    const failedLine = logs.lines.find((line) => line.includes("processing run failed") && line.includes(runId));
    expect(failedLine).toContain("hunter2");
  });
});
