import { formatCents, parseCents } from "@smartrecover/contracts";
import type { RiskScore } from "../scoring/risk-scorer";
import type { DebtorFields } from "./debtor";
import type { DebtorWithScore } from "./debtor.repository";
import type { DebtorInput, DebtorPatch, DebtorResponse, DebtorScoreResult } from "./debtor.schemas";

/** Money strings were validated by the schema, so parsing cannot fail here; a failure is a bug. */
function cents(text: string): number {
  const value = parseCents(text);
  if (value === null) throw new Error(`validated amount did not parse: ${text}`);
  return value;
}

export function fieldsFromInput(input: DebtorInput): DebtorFields {
  return {
    name: input.name,
    totalDebtCents: cents(input.total_debt_amount),
    monthlyIncomeCents: cents(input.monthly_income),
    latePaymentsCount: input.late_payments_count,
    employmentStatus: input.employment_status,
    contractType: input.contract_type,
    industrySector: input.industry_sector,
    familySituation: input.family_situation,
    paymentStatus: input.payment_status,
  };
}

/** The stored fields with the patch's fields laid over them. */
export function applyPatch(current: DebtorFields, patch: DebtorPatch): DebtorFields {
  return {
    name: patch.name ?? current.name,
    totalDebtCents: patch.total_debt_amount === undefined ? current.totalDebtCents : cents(patch.total_debt_amount),
    monthlyIncomeCents: patch.monthly_income === undefined ? current.monthlyIncomeCents : cents(patch.monthly_income),
    latePaymentsCount: patch.late_payments_count ?? current.latePaymentsCount,
    employmentStatus: patch.employment_status ?? current.employmentStatus,
    contractType: patch.contract_type ?? current.contractType,
    industrySector: patch.industry_sector ?? current.industrySector,
    familySituation: patch.family_situation ?? current.familySituation,
    paymentStatus: patch.payment_status ?? current.paymentStatus,
  };
}

export function toApiDebtor(debtor: DebtorWithScore): DebtorResponse {
  return {
    id: debtor.id,
    name: debtor.name,
    total_debt_amount: formatCents(debtor.totalDebtCents),
    monthly_income: formatCents(debtor.monthlyIncomeCents),
    late_payments_count: debtor.latePaymentsCount,
    employment_status: debtor.employmentStatus,
    contract_type: debtor.contractType,
    industry_sector: debtor.industrySector,
    family_situation: debtor.familySituation,
    payment_status: debtor.paymentStatus,
    created_at: debtor.createdAt.toISOString(),
    updated_at: debtor.updatedAt.toISOString(),
    risk_score: debtor.score && {
      total_score: debtor.score.totalScore,
      risk_level: debtor.score.riskLevel,
      factor_breakdown: debtor.score.factors,
      calculated_at: debtor.score.calculatedAt.toISOString(),
    },
  };
}

export function toScoreResult(score: RiskScore, created: boolean): DebtorScoreResult {
  return {
    debtor_id: score.debtorId,
    total_score: score.totalScore,
    normalized_scores: score.factors,
    risk_level: score.riskLevel,
    calculated_at: score.calculatedAt.toISOString(),
    created,
  };
}
