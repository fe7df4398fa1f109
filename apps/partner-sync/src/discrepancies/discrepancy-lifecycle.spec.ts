import { describe, expect, it } from "vitest";
import type { Difference } from "../reconciliation/reconciliation-rules";
import {
  isUnresolved,
  planSightings,
  REVIEW_STATES,
  type ReviewState,
  ReviewTransitionError,
  reviewTransition,
} from "./discrepancy-lifecycle";

const difference = (type: Difference["type"]): Difference => ({
  type,
  internalValue: "1.00",
  externalValue: "2.00",
  differenceCents: 100,
  differencePercent: "100.0000",
});

describe("reviewTransition", () => {
  it("when an OPEN discrepancy is acknowledged, then it becomes ACKNOWLEDGED", () => {
    expect(reviewTransition("ACKNOWLEDGE", "OPEN")).toEqual({
      event: "ACKNOWLEDGED",
      from: "OPEN",
      to: "ACKNOWLEDGED",
    });
  });

  it("when an ACKNOWLEDGED discrepancy is resolved, then it becomes RESOLVED", () => {
    expect(reviewTransition("RESOLVE", "ACKNOWLEDGED")).toEqual({
      event: "RESOLVED",
      from: "ACKNOWLEDGED",
      to: "RESOLVED",
    });
  });

  it("when any other action is attempted, then it is refused with a ReviewTransitionError", () => {
    const allowed = new Set(["ACKNOWLEDGE:OPEN", "RESOLVE:ACKNOWLEDGED"]);
    for (const action of ["ACKNOWLEDGE", "RESOLVE"] as const) {
      for (const state of REVIEW_STATES) {
        if (allowed.has(`${action}:${state}`)) continue;
        expect(() => reviewTransition(action, state)).toThrow(ReviewTransitionError);
      }
    }
    expect(() => reviewTransition("RESOLVE", "OPEN")).toThrow(/acknowledge it first/);
  });

  it("when a state is OPEN or ACKNOWLEDGED, then it counts as unresolved, and only then", () => {
    const unresolved = REVIEW_STATES.filter((state: ReviewState) => isUnresolved(state));
    expect(unresolved).toEqual(["OPEN", "ACKNOWLEDGED"]);
  });
});

describe("planSightings", () => {
  it("when a difference has no unresolved discrepancy of its type, then one is opened", () => {
    const plan = planSightings([], [difference("BALANCE_MISMATCH")]);
    expect(plan.open.map((d) => d.type)).toEqual(["BALANCE_MISMATCH"]);
    expect(plan.seenAgain).toEqual([]);
    expect(plan.autoResolve).toEqual([]);
  });

  it("when the same kind of difference is seen again, then the existing discrepancy is reused", () => {
    const existing = { id: 7, type: "STATUS_MISMATCH" as const, reviewState: "ACKNOWLEDGED" as const };
    const plan = planSightings([existing], [difference("STATUS_MISMATCH")]);
    expect(plan.open).toEqual([]);
    expect(plan.seenAgain).toEqual([{ existing, difference: difference("STATUS_MISMATCH") }]);
  });

  it("when an unresolved difference is no longer shown, then it is auto-resolved and the others stay", () => {
    const balance = { id: 1, type: "BALANCE_MISMATCH" as const, reviewState: "OPEN" as const };
    const status = { id: 2, type: "STATUS_MISMATCH" as const, reviewState: "OPEN" as const };
    const plan = planSightings([balance, status], [difference("STATUS_MISMATCH"), difference("MISSING_AT_PARTNER")]);
    expect(plan.autoResolve).toEqual([balance]);
    expect(plan.seenAgain.map((s) => s.existing.id)).toEqual([2]);
    expect(plan.open.map((d) => d.type)).toEqual(["MISSING_AT_PARTNER"]);
  });
});
