import type { RiskLevel } from "@smartrecover/contracts";
import type { Debtor } from "../debtors/debtor";

/** What the scorer reads of a debtor. */
export type ScoringInput = Pick<
  Debtor,
  | "totalDebtCents"
  | "monthlyIncomeCents"
  | "latePaymentsCount"
  | "employmentStatus"
  | "contractType"
  | "industrySector"
  | "familySituation"
>;

export const FACTOR_WEIGHTS = {
  debt_ratio: 9,
  payment_history: 9,
  employment_status: 8,
  contract_type: 7,
  industry_sector: 6,
  family_situation: 6,
} as const;

export type FactorName = keyof typeof FACTOR_WEIGHTS;
export type FactorBreakdown = Record<FactorName, number>;

export const MAX_TOTAL_SCORE = 450;
const UNKNOWN_CATEGORY_SCORE = 5;

const EMPLOYMENT_SCORES: Readonly<Record<string, number>> = {
  EMPLOYED: 2,
  GOVERNMENT_EMPLOYED: 1,
  SELF_EMPLOYED: 5,
  RETIRED: 4,
  UNEMPLOYED: 9,
  STUDENT: 7,
};
const CONTRACT_SCORES: Readonly<Record<string, number>> = { PERMANENT: 2, CONTRACT: 5, TEMPORARY: 7, FREELANCE: 8 };
const INDUSTRY_SCORES: Readonly<Record<string, number>> = {
  GOVERNMENT: 1,
  HEALTHCARE: 2,
  UTILITIES: 2,
  EDUCATION: 2,
  INSURANCE: 3,
  TECHNOLOGY: 3,
  FINANCE: 4,
  PROFESSIONAL_SERVICES: 4,
  TELECOMMUNICATIONS: 4,
  MANUFACTURING: 5,
  TRANSPORTATION: 5,
  ENERGY: 6,
  RETAIL: 7,
  REAL_ESTATE: 7,
  HOSPITALITY: 8,
  CONSTRUCTION: 8,
  ENTERTAINMENT: 9,
};
const FAMILY_SCORES: Readonly<Record<string, number>> = {
  MARRIED_DUAL_INCOME: 1,
  MARRIED_SINGLE_INCOME: 3,
  SINGLE_NO_DEPENDENTS: 4,
  UNMARRIED_LIVING_TOGETHER: 5,
  DIVORCED_NO_DEPENDENTS: 5,
  SINGLE_WITH_DEPENDENTS: 8,
  DIVORCED_WITH_DEPENDENTS: 9,
  WIDOWED_WITH_DEPENDENTS: 9,
};

function categoryScore(table: Readonly<Record<string, number>>, value: string): number {
  return Object.hasOwn(table, value) ? (table[value] as number) : UNKNOWN_CATEGORY_SCORE;
}

/** Debt-to-income ratio bands, compared exactly on integer cents (debt ≤ k × income), boundaries inclusive. */
export function debtRatioScore(totalDebtCents: number, monthlyIncomeCents: number): number {
  if (monthlyIncomeCents <= 0) return 10;
  if (totalDebtCents <= monthlyIncomeCents) return 2;
  if (totalDebtCents <= 3 * monthlyIncomeCents) return 5;
  if (totalDebtCents <= 6 * monthlyIncomeCents) return 7;
  return 10;
}

export function paymentHistoryScore(latePaymentsCount: number): number {
  if (latePaymentsCount <= 0) return 1;
  if (latePaymentsCount <= 2) return 4;
  if (latePaymentsCount <= 5) return 7;
  return 10;
}

export function factorBreakdown(input: ScoringInput): FactorBreakdown {
  return {
    debt_ratio: debtRatioScore(input.totalDebtCents, input.monthlyIncomeCents),
    payment_history: paymentHistoryScore(input.latePaymentsCount),
    employment_status: categoryScore(EMPLOYMENT_SCORES, input.employmentStatus),
    contract_type: categoryScore(CONTRACT_SCORES, input.contractType),
    industry_sector: categoryScore(INDUSTRY_SCORES, input.industrySector),
    family_situation: categoryScore(FAMILY_SCORES, input.familySituation),
  };
}

/** pct = total / 450 × 100, compared as total × 100 ≤ bound × 450 to stay in integers. */
export function riskLevelFor(totalScore: number): RiskLevel {
  const scaled = totalScore * 100;
  if (scaled <= 30 * MAX_TOTAL_SCORE) return "LOW";
  if (scaled <= 60 * MAX_TOTAL_SCORE) return "MEDIUM";
  if (scaled <= 80 * MAX_TOTAL_SCORE) return "HIGH";
  return "CRITICAL";
}

export interface RiskAssessment {
  totalScore: number;
  riskLevel: RiskLevel;
  factors: FactorBreakdown;
}

/** A debtor's risk score as saved: the assessment, whose it is and when it was made. */
export interface RiskScore extends RiskAssessment {
  debtorId: number;
  calculatedAt: Date;
}

export function scoreDebtor(input: ScoringInput): RiskAssessment {
  const factors = factorBreakdown(input);
  let totalScore = 0;
  for (const name of Object.keys(FACTOR_WEIGHTS) as FactorName[]) {
    totalScore += factors[name] * FACTOR_WEIGHTS[name];
  }
  return { totalScore, riskLevel: riskLevelFor(totalScore), factors };
}
