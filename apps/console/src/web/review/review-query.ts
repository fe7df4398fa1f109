import type { DiscrepancyType, ReviewState } from "../api/api-types";

/** The review queue's tabs, in the order the console shows them. */
export const REVIEW_TABS = [
  { id: "open", label: "Open", states: ["OPEN"], mine: false },
  { id: "acknowledged", label: "Acknowledged", states: ["ACKNOWLEDGED"], mine: false },
  { id: "mine", label: "Assigned to me", states: ["OPEN", "ACKNOWLEDGED"], mine: true },
  { id: "resolved", label: "Resolved", states: ["RESOLVED"], mine: false },
  { id: "auto-resolved", label: "Auto-resolved", states: ["AUTO_RESOLVED"], mine: false },
] as const satisfies ReadonlyArray<{ id: string; label: string; states: readonly ReviewState[]; mine: boolean }>;
export type ReviewTab = (typeof REVIEW_TABS)[number]["id"];

/** Ageing buckets of domain.md's summary, as whole days since first seen. */
export const AGE_BUCKETS = [
  { id: "0-1", label: "0–1 days", min: 0, max: 1 },
  { id: "2-7", label: "2–7 days", min: 2, max: 7 },
  { id: "8-30", label: "8–30 days", min: 8, max: 30 },
  { id: "over-30", label: "Over 30 days", min: 31, max: undefined },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]["id"];

export const DISCREPANCY_TYPES: ReadonlyArray<{ id: DiscrepancyType; label: string }> = [
  { id: "BALANCE_MISMATCH", label: "Balance mismatch" },
  { id: "STATUS_MISMATCH", label: "Status mismatch" },
  { id: "MISSING_AT_PARTNER", label: "Missing at partner" },
];

export type ReviewSort = "priority" | "age";

/** Everything the review queue shows, as it sits in the page URL (so a view can be shared and reloaded). */
export interface ReviewView {
  tab: ReviewTab;
  type: DiscrepancyType | null;
  age: AgeBucket | null;
  minPriority: string | null;
  /** "me", "none", a subject, or null for anyone. */
  assignee: string | null;
  sort: ReviewSort;
  cursor: string | null;
}

export const PAGE_SIZE = 50;
const DECIMAL = /^\d+(\.\d{1,2})?$/;

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | null =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;

export function viewFromSearch(search: URLSearchParams): ReviewView {
  const minPriority = search.get("min_priority");
  const assignee = search.get("assignee");
  return {
    tab:
      pick(
        search.get("tab"),
        REVIEW_TABS.map((tab) => tab.id),
      ) ?? "open",
    type: pick(
      search.get("type"),
      DISCREPANCY_TYPES.map((type) => type.id),
    ),
    age: pick(
      search.get("age"),
      AGE_BUCKETS.map((bucket) => bucket.id),
    ),
    minPriority: minPriority && isDecimal(minPriority) ? minPriority : null,
    assignee: assignee ? assignee.slice(0, 64) : null,
    sort: search.get("sort") === "age" ? "age" : "priority",
    cursor: search.get("cursor"),
  };
}

export function searchFromView(view: ReviewView): URLSearchParams {
  const search = new URLSearchParams();
  if (view.tab !== "open") search.set("tab", view.tab);
  if (view.type) search.set("type", view.type);
  if (view.age) search.set("age", view.age);
  if (view.minPriority) search.set("min_priority", view.minPriority);
  if (view.assignee) search.set("assignee", view.assignee);
  if (view.sort !== "priority") search.set("sort", view.sort);
  if (view.cursor) search.set("cursor", view.cursor);
  return search;
}

/** Filters shared by the list and the tab counts (everything but the tab's states and the page). */
export function filterParams(view: ReviewView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.type) params.set("type", view.type);
  const bucket = AGE_BUCKETS.find((candidate) => candidate.id === view.age);
  if (bucket) {
    params.set("min_age_days", String(bucket.min));
    if (bucket.max !== undefined) params.set("max_age_days", String(bucket.max));
  }
  if (view.minPriority) params.set("min_priority", view.minPriority);
  if (view.assignee) params.set("assignee", view.assignee);
  return params;
}

/** The partner-sync list query for a view: the tab's states, the filters, the sort and the page. */
export function listParams(view: ReviewView): URLSearchParams {
  const tab = REVIEW_TABS.find((candidate) => candidate.id === view.tab) ?? REVIEW_TABS[0];
  const params = filterParams(view);
  params.set("status", tab.states.join(","));
  if (tab.mine) params.set("assignee", "me");
  params.set("sort", view.sort);
  params.set("limit", String(PAGE_SIZE));
  if (view.cursor) params.set("cursor", view.cursor);
  return params;
}

/** The reconciliation report export for a view (the report takes state, type and age filters). */
export function exportParams(view: ReviewView): URLSearchParams {
  const tab = REVIEW_TABS.find((candidate) => candidate.id === view.tab) ?? REVIEW_TABS[0];
  const params = new URLSearchParams({ format: "csv", status: tab.states.join(",") });
  const filters = filterParams(view);
  for (const key of ["type", "min_age_days", "max_age_days"]) {
    const value = filters.get(key);
    if (value) params.set(key, value);
  }
  return params;
}
