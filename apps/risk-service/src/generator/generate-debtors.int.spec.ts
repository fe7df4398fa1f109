import { centsFromDb } from "@smartrecover/contracts";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openRiskDatabase, type RiskDatabase } from "../db/risk-database";
import { scoreDebtor } from "../scoring/risk-scorer";
import { ConcurrentInsertError, insertDebtors } from "./debtor-bulk.repository";
import { createSeededFaker, generateDebtors } from "./debtor-generator";
import { generateTestDebtors } from "./generate-debtors";

const NOW = new Date("2026-03-01T12:34:56.789Z");
const base = { distribution: "balanced" as const, seed: 42, clear: true, scores: true, now: () => NOW };

describe.each(TEST_DIALECTS)("generateTestDebtors on %s", (dialect) => {
  let testDb: TestDatabase;
  let db: RiskDatabase;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "generate_debtors");
    db = await openRiskDatabase(testDb.url);
  });

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  beforeEach(async () => {
    await db.prisma.riskScore.deleteMany();
    await db.prisma.debtor.deleteMany();
  });

  it("when 1,234 debtors are generated in chunks of 500, then the table holds exactly them, field for field, each with its score", async () => {
    const progress: number[] = [];
    const report = await generateTestDebtors(db, {
      ...base,
      count: 1234,
      chunkSize: 500,
      onProgress: (done) => progress.push(done),
    });
    expect(progress).toEqual([0, 500, 1000, 1234]);
    expect(report).toMatchObject({ debtors_created: 1234, scores_computed: 1234, seed: 42 });

    const expected = [...generateDebtors(createSeededFaker(42), "balanced", 1234)];
    const stored = await db.prisma.debtor.findMany({ orderBy: { id: "asc" }, include: { riskScore: true } });
    expect(stored).toHaveLength(1234);
    stored.forEach((row, i) => {
      const want = expected[i];
      if (!want) throw new Error(`no expected debtor ${i}`);
      expect({
        name: row.name,
        totalDebtCents: centsFromDb(row.totalDebtAmount),
        monthlyIncomeCents: centsFromDb(row.monthlyIncome),
        latePaymentsCount: row.latePaymentsCount,
        employmentStatus: row.employmentStatus,
        contractType: row.contractType,
        industrySector: row.industrySector,
        familySituation: row.familySituation,
        paymentStatus: row.paymentStatus,
      }).toEqual({ ...want, riskBias: undefined });
      expect(row.createdAt).toEqual(NOW);
      expect(row.updatedAt).toEqual(NOW);
      const score = scoreDebtor(want);
      expect(row.riskScore).toMatchObject({
        totalScore: score.totalScore,
        riskLevel: score.riskLevel,
        calculatedAt: NOW,
      });
      expect(JSON.parse(row.riskScore?.factorBreakdown ?? "null")).toEqual(score.factors);
    });
  });

  it("when the report is compared with the database, then its debt range, average and top priorities agree", async () => {
    const report = await generateTestDebtors(db, { ...base, count: 800, seed: 3 });
    const rows = await db.prisma.debtor.findMany({ include: { riskScore: true } });
    const debts = rows.map((r) => centsFromDb(r.totalDebtAmount));
    const sum = debts.reduce((a, b) => a + b, 0);
    expect(report.debt?.min).toBe((Math.min(...debts) / 100).toFixed(2));
    expect(report.debt?.max).toBe((Math.max(...debts) / 100).toFixed(2));
    expect(Math.abs(Number(report.debt?.average) - sum / 100 / debts.length)).toBeLessThanOrEqual(0.005);
    const top = rows
      .map((r) => ({ id: r.id, priority: (r.riskScore?.totalScore ?? 0) * centsFromDb(r.totalDebtAmount) }))
      .sort((a, b) => b.priority - a.priority || a.id - b.id)
      .slice(0, 5);
    expect(report.top_priorities.map((t) => t.debtor_id)).toEqual(top.map((t) => t.id));
    const levelTotal = Object.values(report.risk_levels).reduce((a, l) => a + l.count, 0);
    expect(levelTotal).toBe(800);
  });

  it("when --clear is given, then earlier debtors and scores are gone and their count is reported", async () => {
    await generateTestDebtors(db, { ...base, count: 120, clear: false });
    const report = await generateTestDebtors(db, { ...base, count: 30, clear: true, seed: 9 });
    expect(report.cleared_debtors).toBe(120);
    expect(await db.prisma.debtor.count()).toBe(30);
    expect(await db.prisma.riskScore.count()).toBe(30);
  });

  it("when --clear is not given, then new debtors are added after the existing ones and only they are scored", async () => {
    await generateTestDebtors(db, { ...base, count: 40, scores: false });
    const report = await generateTestDebtors(db, { ...base, count: 60, clear: false, seed: 8 });
    expect(report.cleared_debtors).toBe(0);
    expect(await db.prisma.debtor.count()).toBe(100);
    const scored = await db.prisma.riskScore.findMany({ orderBy: { debtorId: "asc" } });
    const ids = (await db.prisma.debtor.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map((d) => d.id);
    expect(scored.map((s) => s.debtorId)).toEqual(ids.slice(40));
  });

  it("when scores are skipped, then no risk score is written and none is counted", async () => {
    const report = await generateTestDebtors(db, { ...base, count: 50, scores: false });
    expect(report.scores_computed).toBe(0);
    expect(report.top_priorities).toEqual([]);
    expect(await db.prisma.debtor.count()).toBe(50);
    expect(await db.prisma.riskScore.count()).toBe(0);
  });

  it("when another writer inserts a debtor while a chunk is written, then the insert fails loudly instead of mixing up ids", async () => {
    const rows = [...generateDebtors(createSeededFaker(1), "balanced", 10)];
    const intruder = { ...rows[0], name: "Someone Else" } as (typeof rows)[number];
    const racing: RiskDatabase = {
      ...db,
      transaction: async (statements) => {
        await db.transaction(statements);
        await insertDebtors(db, [intruder], NOW);
      },
    };
    await expect(insertDebtors(racing, rows, NOW)).rejects.toBeInstanceOf(ConcurrentInsertError);
  });
});
