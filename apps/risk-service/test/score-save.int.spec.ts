import { readDate } from "@smartrecover/db-kit";
import { TEST_DIALECTS } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FactorBreakdown, RiskScore } from "../src/scoring/risk-scorer";
import type { RiskService } from "../src/service";
import { insertDebtorRows, openTestService, type TestService } from "./service-fixtures";

const factors = (seed: number): FactorBreakdown => ({
  debt_ratio: seed,
  payment_history: seed + 1,
  employment_status: 2,
  contract_type: 2,
  industry_sector: 3,
  family_situation: 1,
});

describe.each(TEST_DIALECTS)("RiskScoreRepository.saveBatch on %s", (dialect) => {
  let opened: TestService;
  let service: RiskService;

  beforeAll(async () => {
    opened = await openTestService(dialect, "score_save");
    service = opened.service;
  });

  afterAll(() => opened?.close());

  it("when a batch mixes unchanged, changed and new scores, then every row holds the batch's values, in place", async () => {
    const debtor = {
      totalDebtAmount: "1000.00",
      monthlyIncome: "2000.00",
      latePaymentsCount: 1,
      employmentStatus: "EMPLOYED",
      industrySector: "FINANCE",
      familySituation: "SINGLE_NO_DEPENDENTS",
    };
    await insertDebtorRows(
      service.db,
      [1, 2, 3, 4].map((id) => ({ id, name: `Debtor ${id}`, ...debtor })),
    );
    const old = new Date("2026-01-01T00:00:00.000Z");
    await service.db.execute(
      `INSERT INTO risk_scores (debtor_id, total_score, risk_level, factor_breakdown, calculated_at)
       VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)`,
      [
        [1, 200, "MEDIUM", JSON.stringify(factors(1)), old],
        [2, 100, "LOW", JSON.stringify(factors(2)), old],
        // Same score as the batch, another level: must not count as unchanged.
        [4, 300, "MEDIUM", "{}", old],
      ].flat(),
    );
    const rowIds = async () =>
      new Map(
        (await service.db.query<{ id: number; debtor_id: number }>("SELECT id, debtor_id FROM risk_scores")).map(
          (row) => [Number(row.debtor_id), Number(row.id)],
        ),
      );
    const before = await rowIds();
    const at = new Date("2026-02-03T04:05:06.789Z");
    const batch: RiskScore[] = [
      { debtorId: 4, totalScore: 300, riskLevel: "HIGH", factors: factors(4), calculatedAt: at },
      { debtorId: 1, totalScore: 200, riskLevel: "MEDIUM", factors: factors(9), calculatedAt: at },
      { debtorId: 3, totalScore: 350, riskLevel: "CRITICAL", factors: factors(3), calculatedAt: at },
      { debtorId: 2, totalScore: 250, riskLevel: "HIGH", factors: factors(2), calculatedAt: at },
    ];

    await service.db.transaction((tx) => service.repositories.scores.saveBatch(tx, batch));

    const saved = await service.db.query<{
      debtor_id: number;
      total_score: number;
      risk_level: string;
      factor_breakdown: string;
      calculated_at: Date | string;
    }>(
      "SELECT debtor_id, total_score, risk_level, factor_breakdown, calculated_at FROM risk_scores ORDER BY debtor_id",
    );
    expect(
      saved.map((row) => ({
        debtorId: Number(row.debtor_id),
        totalScore: Number(row.total_score),
        riskLevel: row.risk_level,
        factors: JSON.parse(row.factor_breakdown),
        calculatedAt: readDate(row.calculated_at),
      })),
    ).toEqual([...batch].sort((a, b) => a.debtorId - b.debtorId));
    const after = await rowIds();
    for (const [debtorId, id] of before) expect(after.get(debtorId)).toBe(id);
  });
});
