import { z } from "zod";
import { DISCREPANCY_TYPES } from "../reconciliation/reconciliation-rules";
import { DISCREPANCY_EVENTS, REVIEW_STATES } from "./discrepancy-lifecycle";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const MAX_INT32 = 2_147_483_647;

/** `a,b,c` of allowed words, so one query parameter can select several states or types. */
function wordList<T extends string>(name: string, words: readonly T[]) {
  return z
    .string()
    .max(200)
    .transform((text) => [...new Set(text.split(",").map((word) => word.trim()))])
    .pipe(z.array(z.enum(words as [T, ...T[]], { error: () => `${name} must be among ${words.join(", ")}` })).min(1))
    .optional()
    .describe(`Comma-separated ${name} values: ${words.join(", ")}`);
}

// Only a non-number is "not a number"; out-of-range values keep zod's message, which names the bound.
const days = z.coerce
  .number({ error: (issue) => (issue.code === "invalid_type" ? "must be a number" : undefined) })
  .int("must be a whole number")
  .min(0)
  .max(100_000);

/** Filters shared by the list and the report export. Age is whole days since first_seen_at. */
export const discrepancyFilterFields = {
  status: wordList("status", REVIEW_STATES),
  type: wordList("type", DISCREPANCY_TYPES),
  min_age_days: days.optional().describe("Only discrepancies first seen at least this many whole days ago"),
  max_age_days: days.optional().describe("Only discrepancies first seen at most this many whole days ago"),
  debtor_id: z.coerce.number().int().min(1).max(MAX_INT32).optional(),
  partner_name: z.string().min(1).max(64).optional(),
};

export const DiscrepancyListQuery = z
  .object({
    ...discrepancyFilterFields,
    page: z.coerce.number().int().min(1).max(1_000_000).default(1).describe("1-based page number"),
    page_size: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(DEFAULT_PAGE_SIZE)
      .describe(`Items per page, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`),
  })
  .strict()
  .refine((q) => q.min_age_days === undefined || q.max_age_days === undefined || q.min_age_days <= q.max_age_days, {
    message: "must not exceed max_age_days",
    path: ["min_age_days"],
  });
export type DiscrepancyListQuery = z.infer<typeof DiscrepancyListQuery>;
export type DiscrepancyFilter = Omit<DiscrepancyListQuery, "page" | "page_size">;

export const Discrepancy = z
  .object({
    id: z.number().int(),
    debtor_id: z.number().int(),
    partner_name: z.string(),
    type: z.enum(DISCREPANCY_TYPES),
    review_state: z.enum(REVIEW_STATES),
    internal_value: z.string().describe("Our balance (decimal string) or payment status"),
    external_value: z.string().nullable().describe("The partner's value; null when the partner has no record"),
    difference_amount: z.string().nullable().describe("Partner − internal balance; balance mismatches only"),
    difference_percent: z.string().nullable().describe("Difference in percent of the internal balance"),
    tolerance_percent: z.string(),
    source_message_id: z.string().describe("The message that detected it"),
    last_message_id: z.string().describe("The last message that saw or auto-resolved it"),
    first_seen_at: z.string(),
    last_seen_at: z.string(),
    occurrences: z.number().int(),
    resolved_at: z.string().nullable(),
    age_days: z.number().int().describe("Whole days since first_seen_at"),
  })
  .meta({ id: "Discrepancy" });
export type Discrepancy = z.infer<typeof Discrepancy>;

export const DiscrepancyEvent = z
  .object({
    id: z.number().int(),
    event: z.enum(DISCREPANCY_EVENTS),
    from_state: z.enum(REVIEW_STATES).nullable(),
    to_state: z.enum(REVIEW_STATES),
    actor: z.string(),
    note: z.string().nullable(),
    message_id: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "DiscrepancyEvent" });
export type DiscrepancyEvent = z.infer<typeof DiscrepancyEvent>;

export const DiscrepancyWithHistory = Discrepancy.extend({
  history: z.array(DiscrepancyEvent).describe("The append-only audit trail, oldest first"),
}).meta({ id: "DiscrepancyWithHistory" });
export type DiscrepancyWithHistory = z.infer<typeof DiscrepancyWithHistory>;

export const DiscrepancyPage = z
  .object({
    items: z.array(Discrepancy),
    page: z.number().int(),
    page_size: z.number().int(),
    total: z.number().int().describe("Discrepancies matching the filters"),
    total_pages: z.number().int(),
  })
  .meta({ id: "DiscrepancyPage" });
export type DiscrepancyPage = z.infer<typeof DiscrepancyPage>;

export const DiscrepancyIdParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,30}$/, "must be a positive whole number")
    .transform(Number),
});

// No `actor`: the audit trail names the token's subject (domain.md §9), and a body that tries to
// name one is refused as an unknown field.
export const AcknowledgeRequest = z
  .object({ note: z.string().trim().max(2000).optional() })
  .strict()
  .meta({ id: "AcknowledgeRequest" });
export type AcknowledgeRequest = z.infer<typeof AcknowledgeRequest>;

export const ResolveRequest = z
  .object({
    note: z
      .string({ error: (issue) => (issue.input === undefined ? "is required" : undefined) })
      .trim()
      .min(1, "must not be empty: say how it was resolved")
      .max(2000),
  })
  .strict()
  .meta({ id: "ResolveRequest" });
export type ResolveRequest = z.infer<typeof ResolveRequest>;
