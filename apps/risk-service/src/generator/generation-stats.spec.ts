import type { RiskLevel } from "@smartrecover/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { averageCents, GenerationStats, type ScoredDebtor } from "./generation-stats";

const meta = { seed: 1, distribution: "balanced" as const, clearedDebtors: 0, elapsedSeconds: 2 };

function scored(
  debtorId: number,
  totalScore: number,
  totalDebtCents: number,
  riskLevel: RiskLevel = "LOW",
): ScoredDebtor {
  return { debtorId, name: `Debtor ${debtorId}`, totalScore, totalDebtCents, riskLevel };
}

describe("GenerationStats", () => {
  it("when debtors are added, then min, max and average debt are exact decimal strings", () => {
    const stats = new GenerationStats();
    for (const cents of [50_000, 7_500_000, 100_002]) stats.addDebtor(cents);
    expect(stats.report(meta).debt).toEqual({ min: "500.00", max: "75000.00", average: "25500.01" });
    expect(stats.report(meta).debtors_created).toBe(3);
    expect(stats.report(meta).debtors_per_second).toBe(2);
  });

  it("when nothing was created, then there are no debt statistics", () => {
    expect(new GenerationStats().report(meta).debt).toBeNull();
  });

  it("when scores are added, then each risk level's count and percent of the scored debtors are reported", () => {
    const stats = new GenerationStats();
    const levels: RiskLevel[] = ["LOW", "LOW", "MEDIUM", "CRITICAL", "LOW", "HIGH", "MEDIUM", "LOW"];
    for (const [i, level] of levels.entries()) stats.addScore(scored(i + 1, 100, 100_000, level));
    const report = stats.report(meta);
    expect(report.scores_computed).toBe(8);
    expect(report.risk_levels).toEqual({
      LOW: { count: 4, percent: 50 },
      MEDIUM: { count: 2, percent: 25 },
      HIGH: { count: 1, percent: 12.5 },
      CRITICAL: { count: 1, percent: 12.5 },
    });
  });

  it("when more than five debtors are scored, then the top five are highest priority first, ties on the lower id", () => {
    const stats = new GenerationStats();
    // priority = score × debt: 9 and 4 tie with 2 (100 × 300.00 = 30,000.00).
    const entries = [
      scored(9, 100, 30_000),
      scored(1, 10, 10_000),
      scored(4, 300, 10_000),
      scored(2, 50, 60_000),
      scored(7, 450, 100_000),
      scored(3, 1, 5_000),
      scored(8, 200, 20_000),
    ];
    for (const entry of entries) stats.addScore(entry);
    const top = stats.report(meta).top_priorities;
    expect(top.map((t) => t.debtor_id)).toEqual([7, 8, 2, 4, 9]);
    expect(top[0]).toEqual({
      debtor_id: 7,
      name: "Debtor 7",
      total_score: 450,
      risk_level: "LOW",
      total_debt_amount: "1000.00",
      priority: "450000.00",
    });
  });

  it("when any scores arrive in any order, then the top five equal a full sort's first five", () => {
    const entry = fc.record({ score: fc.integer({ min: 0, max: 450 }), debt: fc.integer({ min: 0, max: 9_999_999 }) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (entries) => {
        const stats = new GenerationStats();
        const all = entries.map((e, i) => scored(i + 1, e.score, e.debt));
        for (const s of [...all].reverse()) stats.addScore(s);
        const expected = all
          .sort((a, b) => b.totalScore * b.totalDebtCents - a.totalScore * a.totalDebtCents || a.debtorId - b.debtorId)
          .slice(0, 5)
          .map((s) => s.debtorId);
        expect(stats.report(meta).top_priorities.map((t) => t.debtor_id)).toEqual(expected);
      }),
    );
  });
});

describe("averageCents", () => {
  it("when the exact average has half a cent or more, then it rounds up; below half, down", () => {
    expect(averageCents(3, 2)).toBe(2);
    expect(averageCents(5, 3)).toBe(2);
    expect(averageCents(4, 3)).toBe(1);
    expect(averageCents(7_500_000 * 1_000_000 + 1, 1_000_000)).toBe(7_500_000);
  });
});
