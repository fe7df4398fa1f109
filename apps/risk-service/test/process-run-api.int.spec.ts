import { TEST_DIALECTS } from "@smartrecover/db-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, createDebtor, snapshot, startTestApi, type TestApi, WORKED_EXAMPLE } from "./api-fixtures";
import { rowCount } from "./service-fixtures";

const COUNT = 120;
const EMPLOYMENT = ["GOVERNMENT_EMPLOYED", "EMPLOYED", "UNEMPLOYED", "STUDENT", "RETIRED"];

type Created = { id: number; total_debt_amount: string; risk_score: { total_score: number } };

/** priority in cents of priority: score × debt in cents, exact in a double at these sizes. */
const priorityCents = (d: Created) => d.risk_score.total_score * Math.round(Number(d.total_debt_amount) * 100);

describe.each(TEST_DIALECTS)("processing endpoints on %s", (dialect) => {
  let api: TestApi;
  const created: Created[] = [];

  async function runCount(): Promise<number> {
    return rowCount(api.db, "processing_runs");
  }

  async function waitForRun(runId: string) {
    for (let i = 0; i < 600; i++) {
      const body = (await api.inject({ url: `${API}/process-runs/${runId}/` })).json();
      if (body.status !== "RUNNING") return body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  beforeAll(async () => {
    api = await startTestApi(dialect, "process_runs");
    for (let i = 0; i < COUNT; i++) {
      created.push(
        await createDebtor(api, {
          ...WORKED_EXAMPLE,
          // every fifth debtor shares a debt with its neighbour: equal priorities must break on the lower id
          total_debt_amount:
            i % 5 === 0 ? "2500.00" : `${500 + ((i * 7919) % 40_000)}.${String(i % 100).padStart(2, "0")}`,
          late_payments_count: i % 7,
          employment_status: EMPLOYMENT[i % EMPLOYMENT.length],
        }),
      );
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it("when the top k by priority is asked, then it matches the dry run, in priority order, and writes nothing", async () => {
    const before = await snapshot(api.db);
    const response = await api.inject({ url: `${API}/debtors/priority?top=15` });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual(await api.service.processor.dryRun(15));
    const expected = [...created].sort((a, b) => priorityCents(b) - priorityCents(a) || a.id - b.id).slice(0, 15);
    expect(body.top.map((t: { debtor_id: number }) => t.debtor_id)).toEqual(expected.map((d) => d.id));
    expect(body.heap_size).toBe(COUNT);
    expect(await snapshot(api.db)).toEqual(before);
    expect(await runCount()).toBe(0);
  });

  it("when top is out of range or not a number, then 400", async () => {
    for (const top of ["0", "10001", "ten", "2.5"]) {
      expect((await api.inject({ url: `${API}/debtors/priority/?top=${top}` })).statusCode, top).toBe(400);
    }
  });

  it("when a run request is invalid, then 400 names the fields and no run starts", async () => {
    const response = await api.inject({
      method: "POST",
      url: `${API}/process-runs/`,
      payload: { batch_size: 0, threshold: "-1", dry: true },
    });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(["batch_size", "dry", "threshold"]);
    expect(await runCount()).toBe(0);
  });

  it("when two runs are started at once, then one is accepted with 202 and the other gets 409", async () => {
    const post = () => api.inject({ method: "POST", url: `${API}/process-runs`, payload: { batch_size: 1 } });
    const responses = await Promise.all([post(), post()]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([202, 409]);
    const accepted = responses.find((r) => r.statusCode === 202)?.json();
    expect(accepted.status_url).toBe(`${API}/process-runs/${accepted.run_id}/`);
    const finished = await waitForRun(accepted.run_id);
    expect(finished.status).toBe("COMPLETED");
  });

  it("when a run completes, then its status holds the report and /metrics counts it", async () => {
    const start = await api.inject({
      method: "POST",
      url: `${API}/process-runs/`,
      payload: { batch_size: 25, threshold: "5000000" },
    });
    expect(start.statusCode).toBe(202);
    const run = await waitForRun(start.json().run_id);
    const highPriority = created.filter((d) => priorityCents(d) > 500_000_000).length;
    expect(highPriority).toBeGreaterThan(0);
    expect(highPriority).toBeLessThan(COUNT);
    expect(run).toMatchObject({
      status: "COMPLETED",
      batch_size: 25,
      threshold: "5000000.00",
      heap_size: COUNT,
      debtors_processed: COUNT,
      batches_processed: Math.ceil(COUNT / 25),
      high_priority_count: highPriority,
      errors_count: 0,
      failure_code: null,
      failure_reason: null,
    });
    expect(run.report.summary.total_debtors_successfully_processed).toBe(COUNT);
    const metrics = (await api.inject({ url: "/metrics" })).body;
    expect(metrics).toMatch(/risk_processing_runs_total\{status="COMPLETED"\} 2/);
    const firstRunHighPriority = created.filter((d) => priorityCents(d) > 50_000_000).length;
    expect(metrics).toContain(`risk_processing_high_priority_total ${highPriority + firstRunHighPriority}`);
    expect(metrics).toContain(`risk_processing_debtors_processed_total ${2 * COUNT}`);
  });

  it("when a run id is unknown, then 404; when it is malformed, then 400", async () => {
    expect((await api.inject({ url: `${API}/process-runs/${crypto.randomUUID()}/` })).statusCode).toBe(404);
    expect((await api.inject({ url: `${API}/process-runs/not%20a%20run/` })).statusCode).toBe(400);
  });
});
