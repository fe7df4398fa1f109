import {
  ContractType,
  EmploymentStatus,
  FamilySituation,
  IndustrySector,
  MAX_INT32,
  moneyString,
  PaymentStatus,
  RiskLevel,
} from "@smartrecover/contracts";
import { z } from "zod";

export const MAX_TOTAL_DEBT = 100_000_000;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** "is required" for a missing field instead of zod's "expected string, received undefined". */
const requiredError = (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : undefined);

// Lone UTF-16 surrogates cannot be stored as UTF-8, so a name holding one could not be stored exactly.
const LONE_SURROGATE = /\p{Cs}/u;

const debtorFields = {
  name: z
    .string({ error: requiredError })
    .min(1, "must not be empty")
    .max(255, "must be at most 255 characters")
    .refine((name) => name.trim() !== "", "must not be blank")
    .refine((name) => !LONE_SURROGATE.test(name), "must be valid Unicode text")
    .meta({ example: "Jane Doe" }),
  total_debt_amount: moneyString({ max: MAX_TOTAL_DEBT }).describe("Outstanding debt, ≥ 0 and < 100,000,000"),
  monthly_income: moneyString().describe("Monthly income, ≥ 0 (0 means no income)"),
  late_payments_count: z.number({ error: requiredError }).int("must be a whole number").min(0).max(MAX_INT32),
  employment_status: z.enum(EmploymentStatus.options, { error: enumError(EmploymentStatus.options) }),
  contract_type: z.enum(ContractType.options, { error: enumError(ContractType.options) }),
  industry_sector: z.enum(IndustrySector.options, { error: enumError(IndustrySector.options) }),
  family_situation: z.enum(FamilySituation.options, { error: enumError(FamilySituation.options) }),
  payment_status: z.enum(PaymentStatus.options, { error: enumError(PaymentStatus.options) }),
};

function enumError(options: readonly string[]) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? "is required" : `must be one of ${options.join(", ")}`;
}

/** POST and PUT body: every field, with domain.md §1 defaults for contract_type and payment_status. */
export const DebtorInput = z
  .object({
    ...debtorFields,
    contract_type: debtorFields.contract_type.default("PERMANENT"),
    payment_status: debtorFields.payment_status.default("UNPAID"),
  })
  .strict();
export type DebtorInput = z.infer<typeof DebtorInput>;

/** PATCH body: any subset of the fields; omitted fields keep their stored value. */
export const DebtorPatch = z
  .object({
    name: debtorFields.name.optional(),
    total_debt_amount: debtorFields.total_debt_amount.optional(),
    monthly_income: debtorFields.monthly_income.optional(),
    late_payments_count: debtorFields.late_payments_count.optional(),
    employment_status: debtorFields.employment_status.optional(),
    contract_type: debtorFields.contract_type.optional(),
    industry_sector: debtorFields.industry_sector.optional(),
    family_situation: debtorFields.family_situation.optional(),
    payment_status: debtorFields.payment_status.optional(),
  })
  .strict()
  .meta({ id: "DebtorPatch" });
export type DebtorPatch = z.infer<typeof DebtorPatch>;

export const FactorScores = z
  .object({
    debt_ratio: z.number(),
    payment_history: z.number(),
    employment_status: z.number(),
    contract_type: z.number(),
    industry_sector: z.number(),
    family_situation: z.number(),
  })
  .describe("The six normalized factor scores (0–10) by factor name");

export const DebtorRiskScore = z
  .object({
    total_score: z.number().int(),
    risk_level: RiskLevel,
    factor_breakdown: FactorScores,
    calculated_at: z.string(),
  })
  .meta({ id: "DebtorRiskScore" });

/**
 * A stored debtor as the API returns it. Categorical fields are plain strings here: rows written
 * by older versions or by hand may hold values the API no longer accepts, and must still be readable.
 */
export const DebtorResponse = z
  .object({
    id: z.number().int(),
    name: z.string(),
    total_debt_amount: z.string().meta({ example: "1234.50" }),
    monthly_income: z.string().meta({ example: "3000.00" }),
    late_payments_count: z.number().int(),
    employment_status: z.string(),
    contract_type: z.string(),
    industry_sector: z.string(),
    family_situation: z.string(),
    payment_status: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    risk_score: DebtorRiskScore.nullable().describe("The current score; null until the debtor is scored"),
  })
  .meta({ id: "Debtor" });
export type DebtorResponse = z.infer<typeof DebtorResponse>;

export const DebtorPage = z
  .object({
    items: z.array(DebtorResponse),
    next_cursor: z.string().nullable().describe("Pass as `cursor` to get the next page; null on the last page"),
  })
  .meta({ id: "DebtorPage" });
export type DebtorPage = z.infer<typeof DebtorPage>;

const pageQuery = {
  limit: z.coerce
    .number({ error: (issue) => (issue.code === "invalid_type" ? "must be a number" : undefined) })
    .int("must be a whole number")
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`),
  cursor: z.string().min(1).max(200).optional().describe("Opaque cursor from the previous page's next_cursor"),
};

export const DebtorListQuery = z
  .object({
    ...pageQuery,
    risk_level: RiskLevel.optional(),
    payment_status: PaymentStatus.optional(),
    min_debt: moneyString().optional().describe("Only debtors owing at least this amount"),
    max_debt: moneyString().optional().describe("Only debtors owing at most this amount"),
  })
  .strict();
export type DebtorListQuery = z.infer<typeof DebtorListQuery>;

export const HighRiskQuery = z.object(pageQuery).strict();
export type HighRiskQuery = z.infer<typeof HighRiskQuery>;

/** Ids are digits only; a well-formed id that cannot exist is a 404, not a 400. */
export const DebtorIdParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,30}$/, "must be a positive whole number")
    .transform(Number),
});

const scoreFields = {
  debtor_id: z.number().int(),
  total_score: z.number().int(),
  normalized_scores: FactorScores,
  risk_level: RiskLevel,
  calculated_at: z.string(),
};

export const StoredDebtorScore = z.object(scoreFields).meta({ id: "StoredDebtorScore" });
export type StoredDebtorScore = z.infer<typeof StoredDebtorScore>;

export const DebtorScoreResult = z
  .object({
    ...scoreFields,
    created: z.boolean().describe("true when the debtor had no score before this call"),
  })
  .meta({ id: "DebtorScoreResult" });
export type DebtorScoreResult = z.infer<typeof DebtorScoreResult>;
