import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRiskDatabase, type RiskDatabase } from "../src/db/risk-database";
import { type RiskScoreRow, scoreSaveStatements } from "../src/scoring/risk-score.repository";
import type { FactorBreakdown } from "../src/scoring/risk-scorer";

const factors = (seed: number): FactorBreakdown => ({
  debt_ratio: seed,
  payment_history: seed + 1,
  employment_status: 2,
  contract_type: 2,
  industry_sector: 3,
  family_situation: 1,
});

describe.each(TEST_DIALECTS)("scoreSaveStatements on %s", (dialect) => {
  let testDb: TestDatabase;
  let db: RiskDatabase;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "score_save");
    db = await openRiskDatabase(testDb.url);
  });

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it("when a batch mixes unchanged, changed and new scores, then every row holds the batch's values, in place", async () => {
    const debtor = {
      totalDebtAmount: "1000.00",
      monthlyIncome: "2000.00",
      latePaymentsCount: 1,
      employmentStatus: "EMPLOYED",
      industrySector: "FINANCE",
      familySituation: "SINGLE_NO_DEPENDENTS",
    };
    await db.prisma.debtor.createMany({
      data: [1, 2, 3, 4].map((id) => ({ id, name: `Debtor ${id}`, ...debtor })),
    });
    const old = new Date("2026-01-01T00:00:00.000Z");
    await db.prisma.riskScore.createMany({
      data: [
        {
          debtorId: 1,
          totalScore: 200,
          riskLevel: "MEDIUM",
          factorBreakdown: JSON.stringify(factors(1)),
          calculatedAt: old,
        },
        {
          debtorId: 2,
          totalScore: 100,
          riskLevel: "LOW",
          factorBreakdown: JSON.stringify(factors(2)),
          calculatedAt: old,
        },
        // Same score as the batch, another level: must not count as unchanged.
        { debtorId: 4, totalScore: 300, riskLevel: "MEDIUM", factorBreakdown: "{}", calculatedAt: old },
      ],
    });
    const before = new Map((await db.prisma.riskScore.findMany()).map((row) => [row.debtorId, row.id]));
    const at = new Date("2026-02-03T04:05:06.789Z");
    const batch: RiskScoreRow[] = [
      { debtorId: 4, totalScore: 300, riskLevel: "HIGH", factors: factors(4), calculatedAt: at },
      { debtorId: 1, totalScore: 200, riskLevel: "MEDIUM", factors: factors(9), calculatedAt: at },
      { debtorId: 3, totalScore: 350, riskLevel: "CRITICAL", factors: factors(3), calculatedAt: at },
      { debtorId: 2, totalScore: 250, riskLevel: "HIGH", factors: factors(2), calculatedAt: at },
    ];

    await db.transaction(scoreSaveStatements(db.dialect, batch));

    const saved = await db.prisma.riskScore.findMany({ orderBy: { debtorId: "asc" } });
    expect(
      saved.map(({ debtorId, totalScore, riskLevel, factorBreakdown, calculatedAt }) => ({
        debtorId,
        totalScore,
        riskLevel,
        factors: JSON.parse(factorBreakdown),
        calculatedAt,
      })),
    ).toEqual(
      [...batch]
        .sort((a, b) => a.debtorId - b.debtorId)
        .map(({ debtorId, totalScore, riskLevel, factors, calculatedAt }) => ({
          debtorId,
          totalScore,
          riskLevel,
          factors,
          calculatedAt,
        })),
    );
    for (const row of saved) if (before.has(row.debtorId)) expect(row.id).toBe(before.get(row.debtorId));
  });
});
