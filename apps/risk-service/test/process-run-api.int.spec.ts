import { readDate, type StoredDate, TEST_DIALECTS } from "@smartrecover/db-kit";
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

  it("when another process holds the processing lease, then the API answers 409 naming its run, owner and start", async () => {
    const startedAt = new Date("2026-01-02T03:04:05.000Z");
    await api.db.execute(
      "INSERT INTO processing_leases (name) SELECT 'process-debtors' WHERE NOT EXISTS (SELECT 1 FROM processing_leases)",
    );
    await api.db.execute(
      "UPDATE processing_leases SET run_id = ?, owner = ?, started_at = ?, heartbeat_at = ?, expires_at = ?",
      ["11111111-2222-3333-4444-555555555555", "pod-b:42", startedAt, new Date(), new Date(Date.now() + 600_000)],
    );
    try {
      const before = await runCount();
      const response = await api.inject({ method: "POST", url: `${API}/process-runs/`, payload: {} });
      expect(response.statusCode).toBe(409);
      expect(response.json().message).toBe(
        "processing run 11111111-2222-3333-4444-555555555555 is still running (owner pod-b:42, started_at 2026-01-02T03:04:05.000Z)",
      );
      expect(await runCount()).toBe(before);
    } finally {
      await api.db.execute(
        "UPDATE processing_leases SET run_id = NULL, owner = NULL, started_at = NULL, expires_at = NULL",
      );
    }
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
    // The status is stored before the run reports to the metrics; wait for that too.
    await api.service.processRuns.idle();
    const metrics = (await api.inject({ url: "/metrics" })).body;
    expect(metrics).toMatch(/risk_processing_runs_total\{status="COMPLETED"\} 2/);
    const firstRunHighPriority = created.filter((d) => priorityCents(d) > 50_000_000).length;
    expect(metrics).toContain(`risk_processing_high_priority_total ${highPriority + firstRunHighPriority}`);
    expect(metrics).toContain(`risk_processing_debtors_processed_total ${2 * COUNT}`);
  });

  it("when outbox rows wait unpublished, then /metrics shows the backlog and the age of the oldest", async () => {
    const pending = await rowCount(api.db, "outbox_messages", "published_at IS NULL");
    expect(pending).toBeGreaterThan(0);
    const [oldest] = await api.db.query<{ oldest: StoredDate }>(
      "SELECT MIN(created_at) AS oldest FROM outbox_messages WHERE published_at IS NULL",
    );
    const before = Date.now();
    const metrics = (await api.inject({ url: "/metrics" })).body;
    expect(metrics).toContain(`risk_outbox_pending_messages ${pending}`);
    const age = Number(/^risk_outbox_oldest_pending_age_seconds (\S+)$/m.exec(metrics)?.[1]);
    const oldestMs = readDate(oldest?.oldest as StoredDate).getTime();
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThanOrEqual((Date.now() - oldestMs) / 1000 + 1);
    expect(age).toBeGreaterThanOrEqual((before - oldestMs) / 1000 - 1);
    expect(metrics).toContain("risk_outbox_published_total 0");
  });

  it("when a dead owner's run is found at the next start, then it is ABANDONED and /metrics counts it", async () => {
    const deadRun = crypto.randomUUID();
    const past = new Date(Date.now() - 60_000);
    await api.db.execute(
      `INSERT INTO processing_runs (id, status, dry_run, batch_size, threshold, heap_size, debtors_processed,
        high_priority_count, batches_processed, errors_count, messages_queued, started_at, owner, heartbeat_at)
        VALUES (?, 'RUNNING', ?, 10, 0, 0, 0, 0, 0, 0, 0, ?, 'dead-pod:7', ?)`,
      [deadRun, false, past, past],
    );
    await api.db.execute(
      "UPDATE processing_leases SET run_id = ?, owner = 'dead-pod:7', started_at = ?, heartbeat_at = ?, expires_at = ?",
      [deadRun, past, past, new Date(Date.now() - 1000)],
    );
    const start = await api.inject({ method: "POST", url: `${API}/process-runs/`, payload: { batch_size: 50 } });
    expect(start.statusCode).toBe(202);
    expect((await waitForRun(start.json().run_id)).status).toBe("COMPLETED");
    await api.service.processRuns.idle();
    const dead = (await api.inject({ url: `${API}/process-runs/${deadRun}/` })).json();
    expect(dead).toMatchObject({ status: "ABANDONED", owner: "dead-pod:7" });
    expect(dead.failure_code).toBe("ABANDONED");
    expect(dead.failure_reason).toMatch(/stopped renewing the processing lease/);
    expect(dead.finished_at).not.toBeNull();
    const metrics = (await api.inject({ url: "/metrics" })).body;
    expect(metrics).toMatch(/risk_processing_runs_total\{status="ABANDONED"\} 1/);
  });

  it("when runs are listed, then newest first, paged by cursor without repeats or gaps, without reports; a forged cursor is 400", async () => {
    const stored = await api.db.query<{ id: string; started_at: StoredDate }>(
      "SELECT id, started_at FROM processing_runs",
    );
    expect(stored.length).toBeGreaterThanOrEqual(3);
    const newestFirst = stored
      .map((row) => ({ id: String(row.id), at: readDate(row.started_at).getTime() }))
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((row) => row.id);
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "limit=2" : `limit=2&cursor=${cursor}`;
      const page = await api.inject({ url: `${API}/process-runs/?${query}` }, "viewer");
      expect(page.statusCode).toBe(200);
      const body = page.json() as { items: Array<{ run_id: string }>; next_cursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      for (const item of body.items) expect(item).not.toHaveProperty("report");
      listed.push(...body.items.map((item) => item.run_id));
      cursor = body.next_cursor;
    } while (cursor !== null);
    expect(listed).toEqual(newestFirst);

    // Each item is the run's own status without its report.
    const [newest] = (await api.inject({ url: `${API}/process-runs/?limit=1` })).json().items;
    const { report: _report, ...status } = (await api.inject({ url: `${API}/process-runs/${newest.run_id}/` })).json();
    expect(newest).toEqual(status);

    expect((await api.inject({ url: `${API}/process-runs/?cursor=${crypto.randomUUID()}` })).statusCode).toBe(400);
    expect((await api.inject({ url: `${API}/process-runs/?limit=101` })).statusCode).toBe(400);
    expect((await api.inject({ url: `${API}/process-runs/?cursor=not%20a%20run` })).statusCode).toBe(400);
  });

  it("when a run id is unknown, then 404; when it is malformed, then 400", async () => {
    expect((await api.inject({ url: `${API}/process-runs/${crypto.randomUUID()}/` })).statusCode).toBe(404);
    expect((await api.inject({ url: `${API}/process-runs/not%20a%20run/` })).statusCode).toBe(400);
  });
});
