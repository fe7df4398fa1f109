import {
  assertSecondPerson,
  type DiscrepancyEventName,
  isUnresolved,
  type ReviewState,
  ReviewTransitionError,
  reviewTransition,
} from "./discrepancy-lifecycle";

// What one review command does to one discrepancy (domain.md §8, §11): pure, so the single
// routes and the bulk route decide alike, and a bulk request gets one answer per id.

export type ReviewCommand =
  | { kind: "ACKNOWLEDGE"; note: string | null }
  | { kind: "RESOLVE"; note: string }
  | { kind: "ASSIGN"; assignee: string | null; note: string | null }
  | { kind: "COMMENT"; note: string };

export interface ReviewTarget {
  id: number;
  reviewState: ReviewState;
  assignee: string | null;
  /** Who acknowledged it last; read only when the four-eyes rule applies. */
  acknowledgedBy?: string | null;
}

export interface ReviewContext {
  actor: string;
  /** Four-eyes rule (REVIEW_REQUIRE_SECOND_PERSON): whoever acknowledged cannot resolve. */
  requireSecondPerson: boolean;
}

export const REVIEW_REFUSALS = ["not_found", "wrong_state", "four_eyes"] as const;

/** Why a command does not apply to a discrepancy; the bulk answer carries the code per id. */
export type ReviewRefusal = { code: (typeof REVIEW_REFUSALS)[number]; message: string };

export interface ReviewEffect {
  /** The new review state, when the command moves it. */
  toState?: Extract<ReviewState, "ACKNOWLEDGED" | "RESOLVED">;
  /** The new assignee, when the command changes it (null: unassigned). */
  assignee?: string | null;
  /** The audit event; absent when nothing changes (assigning to the current assignee). */
  event?: {
    event: DiscrepancyEventName;
    fromState: ReviewState;
    toState: ReviewState;
    note: string | null;
    assignee: string | null;
  };
}

export type ReviewDecision = { ok: true; effect: ReviewEffect } | { ok: false; refusal: ReviewRefusal };

export function decideReview(
  command: ReviewCommand,
  target: ReviewTarget | undefined,
  id: number,
  context: ReviewContext,
): ReviewDecision {
  if (!target) return { ok: false, refusal: { code: "not_found", message: `discrepancy ${id} not found` } };
  const from = target.reviewState;
  switch (command.kind) {
    case "ACKNOWLEDGE":
    case "RESOLVE": {
      try {
        const transition = reviewTransition(command.kind, from);
        if (command.kind === "RESOLVE" && context.requireSecondPerson) {
          try {
            assertSecondPerson(target.acknowledgedBy ?? null, context.actor);
          } catch (error) {
            if (!(error instanceof ReviewTransitionError)) throw error;
            return { ok: false, refusal: { code: "four_eyes", message: error.message } };
          }
        }
        return {
          ok: true,
          effect: {
            toState: transition.to,
            event: {
              event: transition.event,
              fromState: from,
              toState: transition.to,
              note: command.note,
              assignee: null,
            },
          },
        };
      } catch (error) {
        if (error instanceof ReviewTransitionError) {
          return { ok: false, refusal: { code: "wrong_state", message: error.message } };
        }
        throw error;
      }
    }
    case "ASSIGN": {
      if (!isUnresolved(from)) {
        return { ok: false, refusal: { code: "wrong_state", message: `cannot assign a discrepancy that is ${from}` } };
      }
      if (target.assignee === command.assignee) return { ok: true, effect: {} };
      return {
        ok: true,
        effect: {
          assignee: command.assignee,
          event: { event: "ASSIGNED", fromState: from, toState: from, note: command.note, assignee: command.assignee },
        },
      };
    }
    case "COMMENT":
      return {
        ok: true,
        effect: { event: { event: "COMMENTED", fromState: from, toState: from, note: command.note, assignee: null } },
      };
  }
}
