import { HighPriorityDebtorMessage, parseCents } from "@smartrecover/contracts";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRiskDatabase, type RiskDatabase } from "../src/db/risk-database";
import { BulkProcessor } from "../src/processing/bulk-processor";
import { scoreDebtor } from "../src/scoring/risk-scorer";

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
  let testDb: TestDatabase;
  let db: RiskDatabase;
  const data = Array.from({ length: COUNT }, (_, i) => debtorData(i + 1));

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "bulk_processor");
    db = await openRiskDatabase(testDb.url);
    await db.prisma.debtor.createMany({ data });
    // A stale stored score for debtor 2: the heap must use it, the batch must replace it.
    await db.prisma.riskScore.create({
      data: { debtorId: 2, totalScore: 450, riskLevel: "CRITICAL", factorBreakdown: "{}", calculatedAt: new Date(0) },
    });
  });

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it("when dry-running, then it lists the top by priority (stored score first, ties on lower id) and writes nothing", async () => {
    const before = await Promise.all([
      db.prisma.riskScore.count(),
      db.prisma.processingRun.count(),
      db.prisma.outboxMessage.count(),
    ]);
    const report = await new BulkProcessor(db).dryRun(12);

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
    const after = await Promise.all([
      db.prisma.riskScore.count(),
      db.prisma.processingRun.count(),
      db.prisma.outboxMessage.count(),
    ]);
    expect(after).toEqual(before);
  });

  it("when running, then every debtor is re-scored once, high-priority ones are queued, and the run is recorded", async () => {
    const thresholdCents = 500_000 * 100;
    const report = await new BulkProcessor(db).run({ batchSize: 32, thresholdCents });

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

    const scores = await db.prisma.riskScore.findMany({ orderBy: { debtorId: "asc" } });
    expect(scores).toHaveLength(COUNT);
    expect(scores.map((s) => [s.debtorId, s.totalScore, s.riskLevel])).toEqual(
      fresh.map((f) => [f.id, f.score, f.level]),
    );

    const outbox = await db.prisma.outboxMessage.findMany({ where: { runId: report.run_id } });
    expect(outbox.map((o) => o.debtorId).sort((a, b) => a - b)).toEqual(high.map((h) => h.id));
    for (const row of outbox) {
      const message = HighPriorityDebtorMessage.parse(JSON.parse(row.payload));
      expect(message.message_id).toBe(row.messageId);
      expect(message.run_id).toBe(report.run_id);
      expect(parseCents(message.priority)).toBe(fresh[message.debtor_id - 1]?.priority);
    }

    const run = await db.prisma.processingRun.findUniqueOrThrow({ where: { id: report.run_id } });
    expect(run.status).toBe("COMPLETED");
    expect([run.debtorsProcessed, run.highPriorityCount, run.messagesQueued, run.batchesProcessed]).toEqual([
      COUNT,
      high.length,
      high.length,
      Math.ceil(COUNT / 32),
    ]);
    expect(JSON.parse(run.report ?? "{}").summary.total_debtors_successfully_processed).toBe(COUNT);
  });

  it("when a debtor holds an unknown category, then it is scored 5 on that factor and the run goes on", async () => {
    const odd = await db.prisma.debtor.create({ data: { ...debtorData(1), employmentStatus: "ASTRONAUT" } });
    const report = await new BulkProcessor(db).run({ batchSize: 1000, thresholdCents: 0 });
    expect(report.summary.total_debtors_successfully_processed).toBe(COUNT + 1);
    const score = await db.prisma.riskScore.findUniqueOrThrow({ where: { debtorId: odd.id } });
    expect(JSON.parse(score.factorBreakdown).employment_status).toBe(5);
    expect(await db.prisma.riskScore.count()).toBe(COUNT + 1);
  });

  it("when a stored row is unusable, then a priority_calculation error is recorded and the others are processed", async () => {
    const broken = await db.prisma.debtor.create({ data: debtorData(3) });
    await db.prisma.$executeRawUnsafe("UPDATE debtors SET monthly_income = -5 WHERE id = ?", broken.id);
    const report = await new BulkProcessor(db).run({ batchSize: 50, thresholdCents: 0 });

    expect(report.summary.errors_count).toBe(1);
    expect(report.errors[0]).toMatchObject({ debtor_id: broken.id, stage: "priority_calculation" });
    expect(report.summary.total_debtors_successfully_processed).toBe(COUNT + 1);
    const stored = await db.prisma.processingError.findMany({ where: { runId: report.run_id } });
    expect(stored.map((e) => [e.debtorId, e.stage])).toEqual([[broken.id, "priority_calculation"]]);
  });
});
