import {
  type Debtor,
  type DebtorInput,
  type DebtorPatch,
  type DebtorScoreResult,
  formatCents,
  parseCents,
} from "@smartrecover/contracts";
import type { RiskScoreRow } from "../scoring/risk-score.repository";
import type { DebtorFields, DebtorRecord } from "./debtor.repository";

/** Money strings were validated by the contract, so parsing cannot fail here; a failure is a bug. */
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

export function toApiDebtor(record: DebtorRecord): Debtor {
  return {
    id: record.id,
    name: record.name,
    total_debt_amount: formatCents(record.totalDebtCents),
    monthly_income: formatCents(record.monthlyIncomeCents),
    late_payments_count: record.latePaymentsCount,
    employment_status: record.employmentStatus,
    contract_type: record.contractType,
    industry_sector: record.industrySector,
    family_situation: record.familySituation,
    payment_status: record.paymentStatus,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
    risk_score: record.score && {
      total_score: record.score.totalScore,
      risk_level: record.score.riskLevel,
      factor_breakdown: record.score.factors,
      calculated_at: record.score.calculatedAt.toISOString(),
    },
  };
}

export function toScoreResult(score: RiskScoreRow, created: boolean): DebtorScoreResult {
  return {
    debtor_id: score.debtorId,
    total_score: score.totalScore,
    normalized_scores: score.factors,
    risk_level: score.riskLevel,
    calculated_at: score.calculatedAt.toISOString(),
    created,
  };
}
