import {
  CONTRACT_TYPES,
  EMPLOYMENT_STATUSES,
  FAMILY_SITUATIONS,
  INDUSTRY_SECTORS,
  parseCents,
} from "@smartrecover/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPriority, isHighPriority, priorityScoreCents } from "./priority";
import {
  debtRatioScore,
  MAX_TOTAL_SCORE,
  paymentHistoryScore,
  riskLevelFor,
  type ScoringInput,
  scoreDebtor,
} from "./risk-scorer";

const cents = (text: string) => parseCents(text) as number;

const worked: ScoringInput = {
  totalDebtCents: cents("30000.00"),
  monthlyIncomeCents: cents("4000.00"),
  latePaymentsCount: 3,
  employmentStatus: "UNEMPLOYED",
  contractType: "FREELANCE",
  industrySector: "HOSPITALITY",
  familySituation: "SINGLE_WITH_DEPENDENTS",
};

describe("scoreDebtor", () => {
  it("when given domain.md's worked example, then it scores 377, CRITICAL, priority 11,310,000", () => {
    const result = scoreDebtor(worked);
    expect(result.factors).toEqual({
      debt_ratio: 10,
      payment_history: 7,
      employment_status: 9,
      contract_type: 8,
      industry_sector: 8,
      family_situation: 8,
    });
    expect(result.totalScore).toBe(377);
    expect(result.riskLevel).toBe("CRITICAL");
    expect(formatPriority(priorityScoreCents(result.totalScore, worked.totalDebtCents))).toBe("11310000.00");
  });

  it("when a categorical value is unknown, then that factor scores 5", () => {
    const result = scoreDebtor({
      ...worked,
      employmentStatus: "ASTRONAUT",
      contractType: "",
      industrySector: "toString",
      familySituation: "__proto__",
    });
    expect(result.factors.employment_status).toBe(5);
    expect(result.factors.contract_type).toBe(5);
    expect(result.factors.industry_sector).toBe(5);
    expect(result.factors.family_situation).toBe(5);
  });

  it("when inputs are arbitrary, then every factor is within 0–10 and the total is the weighted sum within 0–450", () => {
    const input = fc.record({
      totalDebtCents: fc.integer({ min: 0, max: 9_999_999_999 }),
      monthlyIncomeCents: fc.integer({ min: 0, max: 99_999_999_999 }),
      latePaymentsCount: fc.integer({ min: 0, max: 1000 }),
      employmentStatus: fc.oneof(fc.constantFrom(...EMPLOYMENT_STATUSES), fc.string()),
      contractType: fc.oneof(fc.constantFrom(...CONTRACT_TYPES), fc.string()),
      industrySector: fc.oneof(fc.constantFrom(...INDUSTRY_SECTORS), fc.string()),
      familySituation: fc.oneof(fc.constantFrom(...FAMILY_SITUATIONS), fc.string()),
    });
    fc.assert(
      fc.property(input, (debtor) => {
        const { factors, totalScore } = scoreDebtor(debtor);
        for (const value of Object.values(factors)) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(10);
        }
        const f = factors;
        const weighted =
          f.debt_ratio * 9 +
          f.payment_history * 9 +
          f.employment_status * 8 +
          f.contract_type * 7 +
          f.industry_sector * 6 +
          f.family_situation * 6;
        expect(totalScore).toBe(weighted);
        expect(totalScore).toBeLessThanOrEqual(MAX_TOTAL_SCORE);
      }),
    );
  });
});

describe("debtRatioScore", () => {
  it.each([
    ["0.00", "0.00", 10],
    ["100.00", "0.00", 10],
    ["1000.00", "1000.00", 2],
    ["1000.01", "1000.00", 5],
    ["3000.00", "1000.00", 5],
    ["3000.01", "1000.00", 7],
    ["6000.00", "1000.00", 7],
    ["6000.01", "1000.00", 10],
    // 0.1 + 0.2 style traps: 3 × 3333.33 = 9999.99 exactly, so 9999.99 is still ≤ 3.0
    ["9999.99", "3333.33", 5],
    ["10000.00", "3333.33", 7],
  ])("when debt is %s and income %s, then the factor is %i (boundaries inclusive, exact)", (debt, income, expected) => {
    expect(debtRatioScore(cents(debt), cents(income))).toBe(expected);
  });
});

describe("paymentHistoryScore", () => {
  it.each([
    [0, 1],
    [1, 4],
    [2, 4],
    [3, 7],
    [5, 7],
    [6, 10],
    [40, 10],
  ])("when there are %i late payments, then the factor is %i", (late, expected) => {
    expect(paymentHistoryScore(late)).toBe(expected);
  });
});

describe("riskLevelFor", () => {
  it.each([
    [0, "LOW"],
    [135, "LOW"], // exactly 30 %
    [136, "MEDIUM"],
    [270, "MEDIUM"], // exactly 60 %
    [271, "HIGH"],
    [360, "HIGH"], // exactly 80 %
    [361, "CRITICAL"],
    [450, "CRITICAL"],
  ])("when the total is %i, then the level is %s", (total, level) => {
    expect(riskLevelFor(total)).toBe(level);
  });
});

describe("priority", () => {
  it("when priority equals the threshold, then it is not high priority (strictly greater)", () => {
    const threshold = cents("500000.00");
    expect(isHighPriority(priorityScoreCents(100, cents("5000.00")), threshold)).toBe(false);
    expect(isHighPriority(priorityScoreCents(100, cents("5000.01")), threshold)).toBe(true);
  });
});
