/** Repeated wrong passwords lock an account for a while (counted per account, not per address). */
export interface LockoutPolicy {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

/** What the user store keeps about an account's recent failures. */
export interface FailureState {
  failedCount: number;
  firstFailedAt: Date | null;
  lockedUntil: Date | null;
}

export const NO_FAILURES: FailureState = { failedCount: 0, firstFailedAt: null, lockedUntil: null };

export function isLocked(state: FailureState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more wrong password at `now`: a failure outside the window starts a new count. */
export function afterFailure(state: FailureState, now: Date, policy: LockoutPolicy = DEFAULT_LOCKOUT): FailureState {
  const windowOpen =
    state.firstFailedAt !== null && now.getTime() - state.firstFailedAt.getTime() < policy.windowSeconds * 1000;
  const failedCount = windowOpen ? state.failedCount + 1 : 1;
  const firstFailedAt = windowOpen ? state.firstFailedAt : now;
  if (failedCount >= policy.maxFailures) {
    return { failedCount: 0, firstFailedAt: null, lockedUntil: new Date(now.getTime() + policy.lockSeconds * 1000) };
  }
  return { failedCount, firstFailedAt, lockedUntil: null };
}
