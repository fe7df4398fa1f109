import { describe, expect, it } from "vitest";
import { afterFailure, type FailureState, isLocked, NO_FAILURES } from "./account-lockout";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 9, minute));
const policy = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

function failAt(minutes: number[]): FailureState {
  return minutes.reduce((state, minute) => afterFailure(state, at(minute), policy), NO_FAILURES);
}

describe("account lockout", () => {
  it("when the fifth failure comes 14 minutes after the first, then the account is locked for 15 minutes from it", () => {
    const state = failAt([0, 3, 7, 10, 14]);
    expect(state.lockedUntil).toEqual(at(29));
    expect(isLocked(state, at(28))).toBe(true);
    expect(isLocked(state, at(29))).toBe(false);
  });

  it("when four failures fall inside the window, then the account is not locked", () => {
    const state = failAt([0, 1, 2, 3]);
    expect(state).toMatchObject({ failedCount: 4, lockedUntil: null });
    expect(isLocked(state, at(3))).toBe(false);
  });

  it("when a failure comes 15 minutes or more after the first of a run, then counting starts again", () => {
    const state = failAt([0, 1, 2, 3, 15]);
    expect(state).toEqual({ failedCount: 1, firstFailedAt: at(15), lockedUntil: null });
  });
});
