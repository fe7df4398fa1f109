import { HighPriorityDebtorMessage, parseCents } from "@smartrecover/contracts";
import { TEST_DIALECTS, tableContents } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreDebtor } from "../src/scoring/risk-scorer";
import type { RiskService } from "../src/service";
import { insertDebtorRows, openTestService, rowCount, type TestService } from "./service-fixtures";

const EMPLOYMENT = ["EMPLOYED", "UNEMPLOYED", "SELF_EMPLOYED", "RETIRED", "STUDENT", "GOVERNMENT_EMPLOYED"];
const CONTRACT = ["PERMANENT", "CONTRACT", "TEMPORARY", "FREELANCE"];
const INDUSTRY = ["HOSPITALITY", "FINANCE", "GOVERNMENT", "RETAIL", "ENTERTAINMENT"];
const FAMILY = ["MARRIED_DUAL_INCOME", "SINGLE_WITH_DEPENDENTS", "WIDOWED_WITH_DEPENDENTS", "SINGLE_NO_DEPENDENTS"];
const COUNT = 300;

/** Deterministic varied debtors; every 7th shares its debt with its neighbour to exercise tie-breaks. */
function debtorData(i: number) {
  const pick = <T>(list: T[], salt: number) => list[(i * 7 + salt) % list.length] as T;
  const debtCents = i % 7 === 0 ? 1_500_000 : 50_000 + ((i * 7919) % 6_000_000);
  return {
    name: `Debtor ${i}`,
    totalDebtAmount: (debtCents / 100).toFixed(2),
    monthlyIncome: (((i * 104729) % 900_000) / 100).toFixed(2),
    latePaymentsCount: (i * 3) % 11,
    employmentStatus: pick(EMPLOYMENT, 1),
    contractType: pick(CONTRACT, 2),
    industrySector: pick(INDUSTRY, 3),
    familySituation: pick(FAMILY, 4),
    paymentStatus: ["UNPAID", "PARTIAL", "PAID"][i % 3] as string,
  };
}

function inputOf(d: ReturnType<typeof debtorData>) {
  return {
    totalDebtCents: parseCents(d.totalDebtAmount) as number,
    monthlyIncomeCents: parseCents(d.monthlyIncome) as number,
    latePaymentsCount: d.latePaymentsCount,
    employmentStatus: d.employmentStatus,
    contractType: d.contractType,
    industrySector: d.industrySector,
    familySituation: d.familySituation,
  };
}

describe.each(TEST_DIALECTS)("BulkProcessor on %s", (dialect) => {
  let opened: TestService;
  let service: RiskService;
  const data = Array.from({ length: COUNT }, (_, i) => debtorData(i + 1));

  beforeAll(async () => {
    opened = await openTestService(dialect, "bulk_processor");
    service = opened.service;
    await insertDebtorRows(
      service.db,
      data.map((d, i) => ({ id: i + 1, ...d })),
    );
    // A stale stored score for debtor 2: the heap must use it, the batch must replace it.
    await service.db.execute(
      "INSERT INTO risk_scores (debtor_id, total_score, risk_level, factor_breakdown, calculated_at) VALUES (?, ?, ?, ?, ?)",
      [2, 450, "CRITICAL", "{}", new Date(0)],
    );
  });

  afterAll(() => opened?.close());

  it("when dry-running, then it lists the top by priority (stored score first, ties on lower id) and writes nothing", async () => {
    const before = await tableContents(service.db);
    const report = await service.processor.dryRun(12);

    const expected = data
      .map((d, index) => {
        const id = index + 1;
        const score = id === 2 ? 450 : scoreDebtor(inputOf(d)).totalScore;
        return { id, priority: score * (parseCents(d.totalDebtAmount) as number) };
      })
      .sort((a, b) => b.priority - a.priority || a.id - b.id)
      .slice(0, 12);
    expect(report.heap_size).toBe(COUNT);
    expect(report.top.map((t) => t.debtor_id)).toEqual(expected.map((e) => e.id));
    expect(report.top.map((t) => parseCents(t.priority))).toEqual(expected.map((e) => e.priority));
    expect(await tableContents(service.db)).toEqual(before);
  });

  it("when running, then every debtor is re-scored once, high-priority ones are queued, and the run is recorded", async () => {
    const thresholdCents = 500_000 * 100;
    const report = await service.processor.run({ batchSize: 32, thresholdCents });

    const fresh = data.map((d, index) => {
      const s = scoreDebtor(inputOf(d));
      return {
        id: index + 1,
        score: s.totalScore,
        level: s.riskLevel,
        priority: s.totalScore * (parseCents(d.totalDebtAmount) as number),
      };
    });
    const high = fresh.filter((f) => f.priority > thresholdCents);
    expect(report.summary.total_debtors_successfully_processed).toBe(COUNT);
    expect(report.summary.batches_processed).toBe(Math.ceil(COUNT / 32));
    expect(report.summary.errors_count).toBe(0);
    expect(report.summary.high_priority_debtors_successfully_processed).toBe(high.length);
    expect(report.summary.messages_queued).toBe(high.length);

    const scores = await service.db.query<{ debtor_id: number; total_score: number; risk_level: string }>(
      "SELECT debtor_id, total_score, risk_level FROM risk_scores ORDER BY debtor_id",
    );
    expect(scores.map((s) => [Number(s.debtor_id), Number(s.total_score), s.risk_level])).toEqual(
      fresh.map((f) => [f.id, f.score, f.level]),
    );

    const outbox = await service.db.query<{ message_id: string; debtor_id: number; payload: string }>(
      "SELECT message_id, debtor_id, payload FROM outbox_messages WHERE run_id = ?",
      [report.run_id],
    );
    expect(outbox.map((o) => Number(o.debtor_id)).sort((a, b) => a - b)).toEqual(high.map((h) => h.id));
    for (const row of outbox) {
      const message = HighPriorityDebtorMessage.parse(JSON.parse(row.payload));
      expect(message.message_id).toBe(row.message_id);
      expect(message.run_id).toBe(report.run_id);
      expect(parseCents(message.priority)).toBe(fresh[message.debtor_id - 1]?.priority);
    }

    const [run] = await service.db.query<Record<string, unknown>>(
      `SELECT status, debtors_processed, high_priority_count, messages_queued, batches_processed, report
       FROM processing_runs WHERE id = ?`,
      [report.run_id],
    );
    expect(run?.status).toBe("COMPLETED");
    expect(
      [run?.debtors_processed, run?.high_priority_count, run?.messages_queued, run?.batches_processed].map(Number),
    ).toEqual([COUNT, high.length, high.length, Math.ceil(COUNT / 32)]);
    expect(JSON.parse(String(run?.report)).summary.total_debtors_successfully_processed).toBe(COUNT);
  });

  it("when a debtor holds an unknown category, then it is scored 5 on that factor and the run goes on", async () => {
    const [odd] = await insertDebtorRows(service.db, [{ ...debtorData(1), employmentStatus: "ASTRONAUT" }]);
    const report = await service.processor.run({ batchSize: 1000, thresholdCents: 0 });
    expect(report.summary.total_debtors_successfully_processed).toBe(COUNT + 1);
    const [score] = await service.db.query<{ factor_breakdown: string }>(
      "SELECT factor_breakdown FROM risk_scores WHERE debtor_id = ?",
      [odd],
    );
    expect(JSON.parse(score?.factor_breakdown ?? "{}").employment_status).toBe(5);
    expect(await rowCount(service.db, "risk_scores")).toBe(COUNT + 1);
  });

  it("when a stored row is unusable, then a priority_calculation error is recorded and the others are processed", async () => {
    const [broken] = await insertDebtorRows(service.db, [debtorData(3)]);
    await service.db.execute("UPDATE debtors SET monthly_income = -5 WHERE id = ?", [broken]);
    const report = await service.processor.run({ batchSize: 50, thresholdCents: 0 });

    expect(report.summary.errors_count).toBe(1);
    expect(report.errors[0]).toMatchObject({ debtor_id: broken, stage: "priority_calculation" });
    expect(report.summary.total_debtors_successfully_processed).toBe(COUNT + 1);
    const stored = await service.db.query<{ debtor_id: number; stage: string }>(
      "SELECT debtor_id, stage FROM processing_errors WHERE run_id = ?",
      [report.run_id],
    );
    expect(stored.map((e) => [Number(e.debtor_id), e.stage])).toEqual([[broken, "priority_calculation"]]);
  });
});
