import { centsFromDb } from "@smartrecover/contracts";
import { readDate, type SqlExecutor } from "@smartrecover/db-kit";
import { TEST_DIALECTS } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestService, rowCount, type TestService } from "../../test/service-fixtures";
import { ConcurrentInsertError } from "../debtors/debtor.repository";
import { scoreDebtor } from "../scoring/risk-scorer";
import type { RiskService } from "../service";
import { createSeededFaker, generateDebtors } from "./debtor-generator";

const NOW = new Date("2026-03-01T12:34:56.789Z");
const base = { distribution: "balanced" as const, seed: 42, clear: true, scores: true, now: () => NOW };

interface StoredRow {
  id: number;
  name: string;
  debt: string;
  income: string;
  late: number;
  employment: string;
  contract: string;
  industry: string;
  family: string;
  payment: string;
  created_at: Date | string;
  updated_at: Date | string;
  total_score: number | null;
  risk_level: string | null;
  factor_breakdown: string | null;
  calculated_at: Date | string | null;
}

/** Every debtor with its score, read with the test's own SQL. */
function storedDebtors(db: SqlExecutor): Promise<StoredRow[]> {
  const money = (column: string) => (db.dialect === "sqlite" ? `printf('%.2f', ${column})` : `CAST(${column} AS CHAR)`);
  return db.query<StoredRow>(
    `SELECT d.id, d.name, ${money("d.total_debt_amount")} AS debt, ${money("d.monthly_income")} AS income,
       d.late_payments_count AS late, d.employment_status AS employment, d.contract_type AS contract,
       d.industry_sector AS industry, d.family_situation AS family, d.payment_status AS payment,
       d.created_at, d.updated_at, rs.total_score, rs.risk_level, rs.factor_breakdown, rs.calculated_at
     FROM debtors d LEFT JOIN risk_scores rs ON rs.debtor_id = d.id ORDER BY d.id`,
  );
}

describe.each(TEST_DIALECTS)("TestDebtorGenerator on %s", (dialect) => {
  let opened: TestService;
  let service: RiskService;

  beforeAll(async () => {
    opened = await openTestService(dialect, "generate_debtors");
    service = opened.service;
  });

  afterAll(() => opened?.close());

  beforeEach(async () => {
    await service.db.execute("DELETE FROM risk_scores");
    await service.db.execute("DELETE FROM debtors");
  });

  it("when 1,234 debtors are generated in chunks of 500, then the table holds exactly them, field for field, each with its score", async () => {
    const progress: number[] = [];
    const report = await service.generator.generate({
      ...base,
      count: 1234,
      chunkSize: 500,
      onProgress: (done) => progress.push(done),
    });
    expect(progress).toEqual([0, 500, 1000, 1234]);
    expect(report).toMatchObject({ debtors_created: 1234, scores_computed: 1234, seed: 42 });

    const expected = [...generateDebtors(createSeededFaker(42), "balanced", 1234)];
    const stored = await storedDebtors(service.db);
    expect(stored).toHaveLength(1234);
    stored.forEach((row, i) => {
      const want = expected[i];
      if (!want) throw new Error(`no expected debtor ${i}`);
      expect({
        name: row.name,
        totalDebtCents: centsFromDb(row.debt),
        monthlyIncomeCents: centsFromDb(row.income),
        latePaymentsCount: Number(row.late),
        employmentStatus: row.employment,
        contractType: row.contract,
        industrySector: row.industry,
        familySituation: row.family,
        paymentStatus: row.payment,
      }).toEqual({ ...want, riskBias: undefined });
      expect(readDate(row.created_at)).toEqual(NOW);
      expect(readDate(row.updated_at)).toEqual(NOW);
      const score = scoreDebtor(want);
      expect([Number(row.total_score), row.risk_level, readDate(row.calculated_at)]).toEqual([
        score.totalScore,
        score.riskLevel,
        NOW,
      ]);
      expect(JSON.parse(row.factor_breakdown ?? "null")).toEqual(score.factors);
    });
  });

  it("when the report is compared with the database, then its debt range, average and top priorities agree", async () => {
    const report = await service.generator.generate({ ...base, count: 800, seed: 3 });
    const rows = await storedDebtors(service.db);
    const debts = rows.map((r) => centsFromDb(r.debt));
    const sum = debts.reduce((a, b) => a + b, 0);
    expect(report.debt?.min).toBe((Math.min(...debts) / 100).toFixed(2));
    expect(report.debt?.max).toBe((Math.max(...debts) / 100).toFixed(2));
    expect(Math.abs(Number(report.debt?.average) - sum / 100 / debts.length)).toBeLessThanOrEqual(0.005);
    const top = rows
      .map((r) => ({ id: Number(r.id), priority: Number(r.total_score ?? 0) * centsFromDb(r.debt) }))
      .sort((a, b) => b.priority - a.priority || a.id - b.id)
      .slice(0, 5);
    expect(report.top_priorities.map((t) => t.debtor_id)).toEqual(top.map((t) => t.id));
    const levelTotal = Object.values(report.risk_levels).reduce((a, l) => a + l.count, 0);
    expect(levelTotal).toBe(800);
  });

  it("when --clear is given, then earlier debtors and scores are gone and their count is reported", async () => {
    await service.generator.generate({ ...base, count: 120, clear: false });
    const report = await service.generator.generate({ ...base, count: 30, clear: true, seed: 9 });
    expect(report.cleared_debtors).toBe(120);
    expect(await rowCount(service.db, "debtors")).toBe(30);
    expect(await rowCount(service.db, "risk_scores")).toBe(30);
  });

  it("when --clear is not given, then new debtors are added after the existing ones and only they are scored", async () => {
    await service.generator.generate({ ...base, count: 40, scores: false });
    const report = await service.generator.generate({ ...base, count: 60, clear: false, seed: 8 });
    expect(report.cleared_debtors).toBe(0);
    const rows = await storedDebtors(service.db);
    expect(rows).toHaveLength(100);
    expect(rows.filter((r) => r.total_score !== null).map((r) => Number(r.id))).toEqual(
      rows.slice(40).map((r) => Number(r.id)),
    );
  });

  it("when scores are skipped, then no risk score is written and none is counted", async () => {
    const report = await service.generator.generate({ ...base, count: 50, scores: false });
    expect(report.scores_computed).toBe(0);
    expect(report.top_priorities).toEqual([]);
    expect(await rowCount(service.db, "debtors")).toBe(50);
    expect(await rowCount(service.db, "risk_scores")).toBe(0);
  });

  it("when another writer's debtor lands among a chunk's new ids, then the insert fails loudly instead of mixing up ids", async () => {
    const rows = [...generateDebtors(createSeededFaker(1), "balanced", 10)];
    const intruder = { ...rows[0], name: "Someone Else" } as (typeof rows)[number];
    const { debtors } = service.repositories;
    const attempt = service.db.transaction(async (tx) => {
      // The other writer's row arrives right after ours are inserted, before they are read back.
      let intruded = false;
      const racing: SqlExecutor = {
        dialect: tx.dialect,
        query: (sql, params) => tx.query(sql, params),
        async execute(sql, params) {
          const changed = await tx.execute(sql, params);
          if (!intruded && sql.startsWith("INSERT INTO debtors")) {
            intruded = true;
            await debtors.insert(tx, intruder, NOW);
          }
          return changed;
        },
      };
      return debtors.insertMany(racing, rows, NOW);
    });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrentInsertError);
    expect(await rowCount(service.db, "debtors")).toBe(0);
  });
});
