import { base, en, Faker } from "@faker-js/faker";
import type {
  ContractType,
  EmploymentStatus,
  FamilySituation,
  IndustrySector,
  PaymentStatus,
} from "@smartrecover/contracts";
import type { DebtorFields } from "../debtors/debtor";
import { DISTRIBUTIONS, type Distribution, MAX_SEED } from "./generator-options";

/** Test data generator of domain.md §5: pure, no I/O; one seeded faker drives every draw. */

export { DISTRIBUTIONS, type Distribution, MAX_SEED };

/** The risk_bias range of each distribution: U(min, max). */
export const BIAS_RANGES: Readonly<Record<Distribution, { min: number; max: number }>> = {
  balanced: { min: 0, max: 1 },
  "high-risk": { min: 0.7, max: 1 },
  "low-risk": { min: 0, max: 0.3 },
};

/** A generated debtor: the stored fields, categorical ones narrowed to the API's values. */
export interface GeneratedDebtor extends DebtorFields {
  /** The draw that shaped every other field; kept for tests and statistics, never stored. */
  riskBias: number;
  employmentStatus: EmploymentStatus;
  contractType: ContractType;
  industrySector: IndustrySector;
  familySituation: FamilySituation;
  paymentStatus: PaymentStatus;
}

type Weighted<T> = ReadonlyArray<readonly [option: T, threshold: number]>;

export const EMPLOYMENT_THRESHOLDS: Weighted<EmploymentStatus> = [
  ["EMPLOYED", 0.1],
  ["GOVERNMENT_EMPLOYED", 0.05],
  ["SELF_EMPLOYED", 0.4],
  ["UNEMPLOYED", 0.9],
];
export const CONTRACT_THRESHOLDS: Weighted<ContractType> = [
  ["PERMANENT", 0.1],
  ["TEMPORARY", 0.5],
  ["FREELANCE", 0.8],
];
export const INDUSTRY_THRESHOLDS: Weighted<IndustrySector> = [
  ["HEALTHCARE", 0.2],
  ["EDUCATION", 0.25],
  ["FINANCE", 0.15],
  ["TECHNOLOGY", 0.1],
  ["CONSTRUCTION", 0.6],
  ["HOSPITALITY", 0.8],
];
export const FAMILY_THRESHOLDS: Weighted<FamilySituation> = [
  ["MARRIED_DUAL_INCOME", 0.1],
  ["MARRIED_SINGLE_INCOME", 0.4],
  ["SINGLE_NO_DEPENDENTS", 0.5],
  ["SINGLE_WITH_DEPENDENTS", 0.9],
];

export interface IntRange {
  min: number;
  max: number;
}

/** Debt range in cents for a bias (§5), bounds inclusive. */
export function debtRangeCents(bias: number): IntRange {
  if (bias > 0.8) return { min: 1_500_000, max: 7_500_000 };
  if (bias < 0.2) return { min: 50_000, max: 2_500_000 };
  return { min: 200_000, max: 5_000_000 };
}

/** Monthly income range in cents for a bias (§5), bounds inclusive. */
export function incomeRangeCents(bias: number): IntRange {
  if (bias > 0.7) return { min: 200_000, max: 500_000 };
  if (bias < 0.3) return { min: 600_000, max: 1_200_000 };
  return { min: 350_000, max: 800_000 };
}

/** Late payments range for a bias (§5), bounds inclusive. */
export function latePaymentsRange(bias: number): IntRange {
  if (bias > 0.8) return { min: 5, max: 12 };
  if (bias > 0.6) return { min: 2, max: 6 };
  if (bias > 0.3) return { min: 0, max: 3 };
  return { min: 0, max: 0 };
}

/** The options a bias may pick (§5): those with threshold ≤ bias, else the lowest-threshold one. */
export function eligibleOptions<T>(options: Weighted<T>, bias: number): T[] {
  const kept = options.filter(([, threshold]) => threshold <= bias).map(([option]) => option);
  if (kept.length > 0) return kept;
  const lowest = options.reduce((min, entry) => (entry[1] < min[1] ? entry : min));
  return [lowest[0]];
}

function pick<T>(faker: Faker, options: Weighted<T>, bias: number): T {
  return faker.helpers.arrayElement(eligibleOptions(options, bias));
}

function drawInt(faker: Faker, range: IntRange): number {
  // "Otherwise 0" late payments is a fixed value, not a draw.
  return range.min === range.max ? range.min : faker.number.int(range);
}

/** 70 % UNPAID, 20 % PARTIAL, 10 % PAID, from one integer draw in 1..100. */
function paymentStatus(faker: Faker): PaymentStatus {
  const roll = faker.number.int({ min: 1, max: 100 });
  if (roll <= 70) return "UNPAID";
  if (roll <= 90) return "PARTIAL";
  return "PAID";
}

/** A faker whose every draw follows from the seed: the same seed yields the same debtors. */
export function createSeededFaker(seed: number): Faker {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  return faker;
}

/** One debtor; the draws happen in a fixed order so a seed reproduces every field. */
export function generateDebtor(faker: Faker, distribution: Distribution): GeneratedDebtor {
  const riskBias = faker.number.float(BIAS_RANGES[distribution]);
  const name = faker.person.fullName();
  const totalDebtCents = drawInt(faker, debtRangeCents(riskBias));
  const monthlyIncomeCents = drawInt(faker, incomeRangeCents(riskBias));
  const latePaymentsCount = drawInt(faker, latePaymentsRange(riskBias));
  const employmentStatus = pick(faker, EMPLOYMENT_THRESHOLDS, riskBias);
  const contractType: ContractType =
    employmentStatus === "UNEMPLOYED" ? "FREELANCE" : pick(faker, CONTRACT_THRESHOLDS, riskBias);
  const industrySector = pick(faker, INDUSTRY_THRESHOLDS, riskBias);
  const familySituation = pick(faker, FAMILY_THRESHOLDS, riskBias);
  return {
    riskBias,
    name,
    totalDebtCents,
    monthlyIncomeCents,
    latePaymentsCount,
    employmentStatus,
    contractType,
    industrySector,
    familySituation,
    paymentStatus: paymentStatus(faker),
  };
}

/** The next `count` debtors of a faker's stream, generated lazily so callers can work in chunks. */
export function* generateDebtors(faker: Faker, distribution: Distribution, count: number): Generator<GeneratedDebtor> {
  for (let i = 0; i < count; i++) yield generateDebtor(faker, distribution);
}
