import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  createSeededFaker,
  DISTRIBUTIONS,
  type Distribution,
  EMPLOYMENT_THRESHOLDS,
  eligibleOptions,
  type GeneratedDebtor,
  generateDebtor,
  generateDebtors,
  INDUSTRY_THRESHOLDS,
  MAX_SEED,
} from "./debtor-generator";

const take = (seed: number, distribution: Distribution, count: number) => [
  ...generateDebtors(createSeededFaker(seed), distribution, count),
];

/** domain.md §5 written out again, independently of the implementation, in cents. */
function expectWithinSpec(d: GeneratedDebtor, distribution: Distribution): void {
  const bias = d.riskBias;
  const biasRange = { balanced: [0, 1], "high-risk": [0.7, 1], "low-risk": [0, 0.3] }[distribution];
  expect(bias).toBeGreaterThanOrEqual(biasRange[0] as number);
  expect(bias).toBeLessThanOrEqual(biasRange[1] as number);
  const [debtMin, debtMax] =
    bias > 0.8 ? [1_500_000, 7_500_000] : bias < 0.2 ? [50_000, 2_500_000] : [200_000, 5_000_000];
  expect(Number.isInteger(d.totalDebtCents)).toBe(true);
  expect(d.totalDebtCents).toBeGreaterThanOrEqual(debtMin);
  expect(d.totalDebtCents).toBeLessThanOrEqual(debtMax);
  const [incomeMin, incomeMax] =
    bias > 0.7 ? [200_000, 500_000] : bias < 0.3 ? [600_000, 1_200_000] : [350_000, 800_000];
  expect(Number.isInteger(d.monthlyIncomeCents)).toBe(true);
  expect(d.monthlyIncomeCents).toBeGreaterThanOrEqual(incomeMin);
  expect(d.monthlyIncomeCents).toBeLessThanOrEqual(incomeMax);
  const [lateMin, lateMax] = bias > 0.8 ? [5, 12] : bias > 0.6 ? [2, 6] : bias > 0.3 ? [0, 3] : [0, 0];
  expect(Number.isInteger(d.latePaymentsCount)).toBe(true);
  expect(d.latePaymentsCount).toBeGreaterThanOrEqual(lateMin);
  expect(d.latePaymentsCount).toBeLessThanOrEqual(lateMax);
  const employment = { EMPLOYED: 0.1, GOVERNMENT_EMPLOYED: 0.05, SELF_EMPLOYED: 0.4, UNEMPLOYED: 0.9 };
  expectPicked(d.employmentStatus, employment, bias);
  if (d.employmentStatus === "UNEMPLOYED") expect(d.contractType).toBe("FREELANCE");
  else expectPicked(d.contractType, { PERMANENT: 0.1, TEMPORARY: 0.5, FREELANCE: 0.8 }, bias);
  const industry = {
    HEALTHCARE: 0.2,
    EDUCATION: 0.25,
    FINANCE: 0.15,
    TECHNOLOGY: 0.1,
    CONSTRUCTION: 0.6,
    HOSPITALITY: 0.8,
  };
  expectPicked(d.industrySector, industry, bias);
  const family = {
    MARRIED_DUAL_INCOME: 0.1,
    MARRIED_SINGLE_INCOME: 0.4,
    SINGLE_NO_DEPENDENTS: 0.5,
    SINGLE_WITH_DEPENDENTS: 0.9,
  };
  expectPicked(d.familySituation, family, bias);
  expect(["UNPAID", "PARTIAL", "PAID"]).toContain(d.paymentStatus);
  expect(d.name.trim().length).toBeGreaterThan(1);
}

function expectPicked(value: string, thresholds: Record<string, number>, bias: number): void {
  const lowest = Object.entries(thresholds).sort((a, b) => a[1] - b[1])[0]?.[0];
  const threshold = thresholds[value];
  expect(threshold, `${value} is not an option`).toBeDefined();
  if (value !== lowest) expect(threshold as number).toBeLessThanOrEqual(bias);
}

describe("generateDebtors", () => {
  it("when the same seed is used twice, then every debtor is identical field for field", () => {
    for (const distribution of DISTRIBUTIONS) {
      expect(take(1234, distribution, 500)).toEqual(take(1234, distribution, 500));
    }
  });

  it("when the seeds differ, then the debtors differ", () => {
    const a = take(1, "balanced", 50);
    const b = take(2, "balanced", 50);
    expect(a).not.toEqual(b);
    expect(a.filter((d, i) => d.name === b[i]?.name).length).toBeLessThan(5);
  });

  it("when seed 42 generates balanced debtors, then the first one is pinned (reproducible across releases)", () => {
    const [first] = take(42, "balanced", 1);
    expect(first).toMatchObject({ name: "Kevin Crist", totalDebtCents: 4_357_646, monthlyIncomeCents: 620_502 });
  });

  it("when any seed and distribution are used, then every value lies in its §5 range for its bias", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_SEED }), fc.constantFrom(...DISTRIBUTIONS), (seed, distribution) => {
        for (const debtor of take(seed, distribution, 40)) expectWithinSpec(debtor, distribution);
      }),
      { numRuns: 150 },
    );
  });

  it("when the distribution is high-risk, then debt is at least 2,000.00 and late payments at least 2", () => {
    for (const d of take(7, "high-risk", 5000)) {
      expect(d.riskBias).toBeGreaterThanOrEqual(0.7);
      expect(d.totalDebtCents).toBeGreaterThanOrEqual(200_000);
      expect(d.latePaymentsCount).toBeGreaterThanOrEqual(2);
      expect(d.monthlyIncomeCents).toBeLessThanOrEqual(800_000);
    }
  });

  it("when the distribution is low-risk, then no late payments, permanent contracts, dual-income married, debt ≤ 50,000.00", () => {
    for (const d of take(7, "low-risk", 5000)) {
      expect(d.riskBias).toBeLessThan(0.3);
      expect(d.latePaymentsCount).toBe(0);
      expect(d.contractType).toBe("PERMANENT");
      expect(d.familySituation).toBe("MARRIED_DUAL_INCOME");
      expect(d.employmentStatus).not.toBe("UNEMPLOYED");
      expect(d.totalDebtCents).toBeLessThanOrEqual(5_000_000);
      expect(d.monthlyIncomeCents).toBeGreaterThanOrEqual(350_000);
    }
  });

  it("when a balanced run draws unemployed debtors, then each of them has a FREELANCE contract", () => {
    const unemployed = take(11, "balanced", 5000).filter((d) => d.employmentStatus === "UNEMPLOYED");
    expect(unemployed.length).toBeGreaterThan(100);
    expect(new Set(unemployed.map((d) => d.contractType))).toEqual(new Set(["FREELANCE"]));
  });

  it("when 20,000 debtors are drawn, then payment statuses are close to 70/20/10 %", () => {
    const debtors = take(99, "balanced", 20_000);
    const share = (status: string) => debtors.filter((d) => d.paymentStatus === status).length / debtors.length;
    expect(Math.abs(share("UNPAID") - 0.7)).toBeLessThan(0.015);
    expect(Math.abs(share("PARTIAL") - 0.2)).toBeLessThan(0.015);
    expect(Math.abs(share("PAID") - 0.1)).toBeLessThan(0.015);
  });

  it("when amounts are drawn, then faker gets whole-cent bounds of §5 (faker's int is inclusive)", () => {
    const faker = createSeededFaker(5);
    vi.spyOn(faker.number, "float").mockReturnValue(0.85);
    const int = vi.spyOn(faker.number, "int");
    generateDebtor(faker, "balanced");
    expect(int).toHaveBeenCalledWith({ min: 1_500_000, max: 7_500_000 });
    expect(int).toHaveBeenCalledWith({ min: 200_000, max: 500_000 });
    expect(int).toHaveBeenCalledWith({ min: 5, max: 12 });
  });
});

describe("eligibleOptions", () => {
  it("when no threshold is at or below the bias, then only the lowest-threshold option remains", () => {
    expect(eligibleOptions(EMPLOYMENT_THRESHOLDS, 0.01)).toEqual(["GOVERNMENT_EMPLOYED"]);
    expect(eligibleOptions(INDUSTRY_THRESHOLDS, 0.05)).toEqual(["TECHNOLOGY"]);
  });

  it("when the bias equals a threshold, then that option is kept (threshold ≤ bias)", () => {
    expect(eligibleOptions(EMPLOYMENT_THRESHOLDS, 0.4)).toEqual(["EMPLOYED", "GOVERNMENT_EMPLOYED", "SELF_EMPLOYED"]);
    expect(eligibleOptions(EMPLOYMENT_THRESHOLDS, 0.9)).toContain("UNEMPLOYED");
    expect(eligibleOptions(EMPLOYMENT_THRESHOLDS, 0.8999)).not.toContain("UNEMPLOYED");
  });
});
