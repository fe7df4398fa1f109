import { z } from "zod";

export const EMPLOYMENT_STATUSES = [
  "EMPLOYED",
  "GOVERNMENT_EMPLOYED",
  "SELF_EMPLOYED",
  "RETIRED",
  "UNEMPLOYED",
  "STUDENT",
] as const;
export const CONTRACT_TYPES = ["PERMANENT", "CONTRACT", "TEMPORARY", "FREELANCE"] as const;
export const INDUSTRY_SECTORS = [
  "GOVERNMENT",
  "HEALTHCARE",
  "UTILITIES",
  "EDUCATION",
  "INSURANCE",
  "TECHNOLOGY",
  "FINANCE",
  "PROFESSIONAL_SERVICES",
  "TELECOMMUNICATIONS",
  "MANUFACTURING",
  "TRANSPORTATION",
  "ENERGY",
  "RETAIL",
  "REAL_ESTATE",
  "HOSPITALITY",
  "CONSTRUCTION",
  "ENTERTAINMENT",
] as const;
export const FAMILY_SITUATIONS = [
  "MARRIED_DUAL_INCOME",
  "MARRIED_SINGLE_INCOME",
  "SINGLE_NO_DEPENDENTS",
  "UNMARRIED_LIVING_TOGETHER",
  "DIVORCED_NO_DEPENDENTS",
  "SINGLE_WITH_DEPENDENTS",
  "DIVORCED_WITH_DEPENDENTS",
  "WIDOWED_WITH_DEPENDENTS",
] as const;
export const PAYMENT_STATUSES = ["UNPAID", "PARTIAL", "PAID"] as const;
export const RISK_LEVELS = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;

export const EmploymentStatus = z.enum(EMPLOYMENT_STATUSES);
export const ContractType = z.enum(CONTRACT_TYPES);
export const IndustrySector = z.enum(INDUSTRY_SECTORS);
export const FamilySituation = z.enum(FAMILY_SITUATIONS);
export const PaymentStatus = z.enum(PAYMENT_STATUSES);
export const RiskLevel = z.enum(RISK_LEVELS);

export type EmploymentStatus = z.infer<typeof EmploymentStatus>;
export type ContractType = z.infer<typeof ContractType>;
export type IndustrySector = z.infer<typeof IndustrySector>;
export type FamilySituation = z.infer<typeof FamilySituation>;
export type PaymentStatus = z.infer<typeof PaymentStatus>;
export type RiskLevel = z.infer<typeof RiskLevel>;
