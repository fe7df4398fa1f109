import { setTimeout as sleep } from "node:timers/promises";
import { isRetryableTransactionError } from "@smartrecover/db-kit";

export interface RetryPolicy {
  /**
   * Attempts when the database reports a deadlock or a lock-wait timeout. Consumers contending
   * for the same rows clear up on a fresh attempt, and such a message must never end up in the
   * dead-letter queue for it, so these get many attempts.
   */
  contendedAttempts: number;
  /** Attempts for any other failure (a unique-key race between consumers also clears up on a second look). */
  otherAttempts: number;
  /** First pause between attempts; doubled each time, with jitter. */
  baseDelayMs: number;
}

const DEFAULT_POLICY: RetryPolicy = { contendedAttempts: 8, otherAttempts: 3, baseDelayMs: 5 };
const MAX_DELAY_MS = 1_000;

/** Set by the work once it holds a transaction: a failure before that says nothing about the messages. */
export interface Attempt {
  reachedDatabase: boolean;
}

export type Attempted<T> = { ok: true; value: T } | { ok: false; error: unknown; reachedDatabase: boolean };

/** Runs `work` until it succeeds or the policy gives up; the last failure is returned, not thrown. */
export async function withTransactionRetry<T>(
  work: (attempt: Attempt) => Promise<T>,
  policy: Partial<RetryPolicy> = {},
): Promise<Attempted<T>> {
  const { contendedAttempts, otherAttempts, baseDelayMs } = { ...DEFAULT_POLICY, ...policy };
  for (let tries = 1; ; tries += 1) {
    const attempt: Attempt = { reachedDatabase: false };
    try {
      return { ok: true, value: await work(attempt) };
    } catch (error) {
      const limit = isRetryableTransactionError(error) ? contendedAttempts : otherAttempts;
      if (tries >= limit) return { ok: false, error, reachedDatabase: attempt.reachedDatabase };
      const delay = Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** (tries - 1));
      await sleep(delay + Math.random() * delay);
    }
  }
}
