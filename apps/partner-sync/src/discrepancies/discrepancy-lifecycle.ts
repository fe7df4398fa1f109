import type { Difference, DiscrepancyType } from "../reconciliation/reconciliation-rules";

/** Review states and audit events exactly as domain.md §8 and §11 name them. */
export const REVIEW_STATES = ["OPEN", "ACKNOWLEDGED", "RESOLVED", "AUTO_RESOLVED"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const UNRESOLVED_STATES = ["OPEN", "ACKNOWLEDGED"] as const satisfies readonly ReviewState[];
export type UnresolvedState = (typeof UNRESOLVED_STATES)[number];
export const DISCREPANCY_EVENTS = [
  "DETECTED",
  "SEEN_AGAIN",
  "ACKNOWLEDGED",
  "RESOLVED",
  "AUTO_RESOLVED",
  "ASSIGNED",
  "COMMENTED",
] as const;
export type DiscrepancyEventName = (typeof DISCREPANCY_EVENTS)[number];

/** Actor recorded on the events the consumer writes (detections, repeats, auto-resolutions). */
export const SYSTEM_ACTOR = "partner-sync";

export function isUnresolved(state: ReviewState): state is UnresolvedState {
  return state === "OPEN" || state === "ACKNOWLEDGED";
}

/** A review action that the current state does not allow (maps to HTTP 409). */
export class ReviewTransitionError extends Error {
  override name = "ReviewTransitionError";
}

export type ReviewAction = "ACKNOWLEDGE" | "RESOLVE";

export interface ReviewTransition {
  event: Extract<DiscrepancyEventName, "ACKNOWLEDGED" | "RESOLVED">;
  from: ReviewState;
  to: Extract<ReviewState, "ACKNOWLEDGED" | "RESOLVED">;
}

/**
 * OPEN → ACKNOWLEDGED → RESOLVED, nothing else: a reviewer acknowledges before resolving, and a
 * resolved or auto-resolved discrepancy is closed for good (a new sighting opens a new one).
 */
export function reviewTransition(action: ReviewAction, from: ReviewState): ReviewTransition {
  if (action === "ACKNOWLEDGE") {
    if (from !== "OPEN") throw new ReviewTransitionError(`cannot acknowledge a discrepancy that is ${from}`);
    return { event: "ACKNOWLEDGED", from, to: "ACKNOWLEDGED" };
  }
  if (from !== "ACKNOWLEDGED") {
    const hint = from === "OPEN" ? ": acknowledge it first" : "";
    throw new ReviewTransitionError(`cannot resolve a discrepancy that is ${from}${hint}`);
  }
  return { event: "RESOLVED", from, to: "RESOLVED" };
}

/**
 * Four-eyes rule: the subject who acknowledged cannot resolve. Subjects are compared without
 * regard to case, so `Ana` cannot resolve what `ana` acknowledged.
 */
export function assertSecondPerson(acknowledgedBy: string | null, resolver: string): void {
  if (acknowledgedBy !== null && acknowledgedBy.toLowerCase() === resolver.toLowerCase()) {
    throw new ReviewTransitionError(
      `${resolver} acknowledged this discrepancy: another reviewer must resolve it (REVIEW_REQUIRE_SECOND_PERSON)`,
    );
  }
}

/** What the consumer knows of an unresolved discrepancy when a new message arrives. */
export interface UnresolvedDiscrepancy {
  id: number;
  type: DiscrepancyType;
  reviewState: UnresolvedState;
}

export interface SightingPlan {
  /** Differences with no unresolved discrepancy of their type: open one each. */
  open: Difference[];
  /** Differences seen again: bump occurrences and last_seen_at, keep the review state. */
  seenAgain: Array<{ existing: UnresolvedDiscrepancy; difference: Difference }>;
  /** Unresolved discrepancies whose difference the message no longer shows. */
  autoResolve: UnresolvedDiscrepancy[];
}

/** Compares one message's differences with the debtor's unresolved discrepancies (one per type). */
export function planSightings(
  unresolved: readonly UnresolvedDiscrepancy[],
  differences: readonly Difference[],
): SightingPlan {
  const byType = new Map(unresolved.map((discrepancy) => [discrepancy.type, discrepancy]));
  const plan: SightingPlan = { open: [], seenAgain: [], autoResolve: [] };
  for (const difference of differences) {
    const existing = byType.get(difference.type);
    if (existing) plan.seenAgain.push({ existing, difference });
    else plan.open.push(difference);
  }
  const seenTypes = new Set(differences.map((difference) => difference.type));
  plan.autoResolve = unresolved.filter((discrepancy) => !seenTypes.has(discrepancy.type));
  return plan;
}
