import { z } from "zod";
import { discrepancyFilterFields } from "../discrepancies/discrepancy.schemas";
import { REVIEW_STATES } from "../discrepancies/discrepancy-lifecycle";
import { DISCREPANCY_TYPES } from "../reconciliation/reconciliation-rules";

const count = z.number().int();
const countsOf = (keys: readonly string[]) => z.object(Object.fromEntries(keys.map((key) => [key, count])));

export const ReconciliationSummary = z
  .object({
    generated_at: z.string(),
    discrepancies: z.object({
      total: count,
      by_status: countsOf(REVIEW_STATES),
      by_type: countsOf(DISCREPANCY_TYPES),
      unresolved_by_type: countsOf(DISCREPANCY_TYPES).describe("OPEN and ACKNOWLEDGED only"),
      unresolved_ageing: z
        .object({ "0_1_days": count, "2_7_days": count, "8_30_days": count, over_30_days: count })
        .describe("OPEN and ACKNOWLEDGED discrepancies by whole days since first seen"),
    }),
    reconciliation: z
      .object({ matched: count, discrepancy: count, pending: count, total: count })
      .describe("Debtor sync records by the status of their last applied message"),
  })
  .meta({ id: "ReconciliationSummary" });
export type ReconciliationSummary = z.infer<typeof ReconciliationSummary>;

export const REPORT_FORMATS = ["csv", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const ReportQuery = z
  .object({
    ...discrepancyFilterFields,
    format: z.enum(REPORT_FORMATS).default("json").describe("csv: one row per discrepancy; json: summary and rows"),
  })
  .strict();
export type ReportQuery = z.infer<typeof ReportQuery>;
