import { subjectProblem } from "@smartrecover/service-kit";
import { z } from "zod";
import { DISCREPANCY_TYPES } from "../reconciliation/reconciliation-rules";
import { DISCREPANCY_EVENTS, REVIEW_STATES } from "./discrepancy-lifecycle";
import { REVIEW_REFUSALS } from "./review-command";

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

/** A subject (domain.md §9): whom a discrepancy is assigned to. */
export const Subject = z
  .string()
  .superRefine((text, context) => {
    const problem = subjectProblem(text);
    if (problem) context.addIssue({ code: "custom", message: problem });
  })
  .describe("A subject: 1–64 characters of A–Z a–z 0–9 . _ @ -");

/** Risk score × debt as decimal text, the way the queue message carries it. */
const priorityText = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, "must be a decimal number with at most two decimals, e.g. 500000 or 1234.50");

export const DISCREPANCY_SORTS = ["detected", "age", "priority"] as const;
export type DiscrepancySort = (typeof DISCREPANCY_SORTS)[number];

const pageSize = (name: string) =>
  z.coerce
    .number({ error: (issue) => (issue.code === "invalid_type" ? "must be a number" : undefined) })
    .int("must be a whole number")
    .min(1)
    .max(MAX_PAGE_SIZE)
    .describe(`${name}, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`);

export const DiscrepancyListQuery = z
  .object({
    ...discrepancyFilterFields,
    assignee: z
      .union([z.literal("me"), z.literal("none"), Subject])
      .optional()
      .describe("`me` (the caller), `none` (unassigned) or a subject"),
    min_priority: priorityText.optional().describe("Only discrepancies whose debtor's priority is at least this"),
    sort: z
      .enum(DISCREPANCY_SORTS)
      .default("detected")
      .describe(
        "`detected` (default): detection order (id); `age`: oldest first (first seen, then id); `priority`: highest priority first, then lowest id",
      ),
    page: z.coerce.number().int().min(1).max(1_000_000).optional().describe("1-based page number (offset paging)"),
    page_size: pageSize("Items per page (offset paging)").optional(),
    limit: pageSize("Items per page (keyset paging: no total, next_cursor instead)").optional(),
    cursor: z.string().min(1).max(300).optional().describe("Opaque cursor from the previous page's next_cursor"),
  })
  .strict()
  .refine((q) => q.min_age_days === undefined || q.max_age_days === undefined || q.min_age_days <= q.max_age_days, {
    message: "must not exceed max_age_days",
    path: ["min_age_days"],
  })
  .refine(
    (q) => (q.cursor === undefined && q.limit === undefined) || (q.page === undefined && q.page_size === undefined),
    {
      message: "page by limit and cursor (keyset) or by page and page_size (offset), not both",
      path: ["limit"],
    },
  );
export type DiscrepancyListQuery = z.infer<typeof DiscrepancyListQuery>;
export type DiscrepancyFilter = Omit<
  DiscrepancyListQuery,
  "page" | "page_size" | "limit" | "cursor" | "sort" | "assignee" | "min_priority"
>;

/** The list's filters once `assignee=me` is resolved to the caller. */
export interface ReviewQueueFilter extends DiscrepancyFilter {
  assignee?: { kind: "none" } | { kind: "subject"; subject: string };
  min_priority?: string;
}

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
    priority: z
      .string()
      .describe("The debtor's priority (risk score × debt) from the latest message that saw it; 0.00 when unknown"),
    assignee: z.string().nullable().describe("Who works it; null when nobody"),
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
    assignee: z.string().nullable().describe("ASSIGNED events: the new assignee, null when unassigned"),
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
    next_cursor: z
      .string()
      .nullable()
      .describe("Pass as `cursor` (with `limit`) for the next page in the same sort; null on the last page"),
    limit: z.number().int().optional().describe("Keyset paging: the page size"),
    page: z.number().int().optional().describe("Offset paging only"),
    page_size: z.number().int().optional().describe("Offset paging only"),
    total: z.number().int().optional().describe("Offset paging only: discrepancies matching the filters"),
    total_pages: z.number().int().optional().describe("Offset paging only"),
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

const note = z.string().trim().max(2000);

export const AssignRequest = z
  .object({
    assignee: Subject.nullable().describe("The subject to assign it to; null unassigns it"),
  })
  .strict()
  .meta({ id: "AssignRequest" });
export type AssignRequest = z.infer<typeof AssignRequest>;

export const CommentRequest = z
  .object({
    note: z
      .string({ error: (issue) => (issue.input === undefined ? "is required" : undefined) })
      .trim()
      .min(1, "must not be empty")
      .max(2000),
  })
  .strict()
  .meta({ id: "CommentRequest" });
export type CommentRequest = z.infer<typeof CommentRequest>;

export const MAX_BULK_IDS = 500;
export const BULK_ACTIONS = ["acknowledge", "resolve", "assign"] as const;

export const BulkReviewRequest = z
  .object({
    action: z.enum(BULK_ACTIONS),
    ids: z
      .array(z.number().int().min(1).max(MAX_INT32))
      .min(1, "must hold at least one id")
      .max(MAX_BULK_IDS, `must hold at most ${MAX_BULK_IDS} ids`)
      .refine((ids) => new Set(ids).size === ids.length, "must not repeat an id"),
    note: note.optional().describe("Recorded on every event; required (non-empty) to resolve"),
    assignee: Subject.nullable().optional().describe("For assign: the subject, or null to unassign"),
  })
  .strict()
  .superRefine((request, context) => {
    if (request.action === "resolve" && !request.note) {
      context.addIssue({ code: "custom", path: ["note"], message: "is required to resolve: say how it was resolved" });
    }
    if (request.action === "assign" && request.assignee === undefined) {
      context.addIssue({ code: "custom", path: ["assignee"], message: "is required to assign (null unassigns)" });
    }
    if (request.action !== "assign" && request.assignee !== undefined) {
      context.addIssue({ code: "custom", path: ["assignee"], message: "is only for the assign action" });
    }
  })
  .meta({ id: "BulkReviewRequest" });
export type BulkReviewRequest = z.infer<typeof BulkReviewRequest>;

export const BulkReviewResult = z
  .discriminatedUnion("ok", [
    z.object({ id: z.number().int(), ok: z.literal(true) }),
    z.object({
      id: z.number().int(),
      ok: z.literal(false),
      error: z.object({
        code: z.enum(REVIEW_REFUSALS).describe("Why this id was not changed (four_eyes: REVIEW_REQUIRE_SECOND_PERSON)"),
        message: z.string(),
      }),
    }),
  ])
  .meta({ id: "BulkReviewResult" });

export const BulkReviewResponse = z
  .object({
    action: z.enum(BULK_ACTIONS),
    succeeded: z.number().int(),
    failed: z.number().int(),
    results: z.array(BulkReviewResult).describe("One result per requested id, in request order"),
  })
  .meta({ id: "BulkReviewResponse" });
export type BulkReviewResponse = z.infer<typeof BulkReviewResponse>;

export const DiscrepancyCounts = z
  .object({
    open: z.number().int(),
    acknowledged: z.number().int(),
    assigned_to_me: z.number().int().describe("OPEN or ACKNOWLEDGED and assigned to the caller"),
    resolved: z.number().int(),
    auto_resolved: z.number().int(),
  })
  .meta({ id: "DiscrepancyCounts" });
export type DiscrepancyCounts = z.infer<typeof DiscrepancyCounts>;
