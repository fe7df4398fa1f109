export type ProcessedAtCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether a message's `processed_at` is believable: not later than now plus the allowed clock
 * skew. An old timestamp is fine (a backlog drains late); a future one would let a forged or
 * misdated message win every "latest wins" comparison, so it is poison.
 */
export function checkProcessedAt(processedAt: string | Date, now: Date, maxSkewSeconds: number): ProcessedAtCheck {
  const at = processedAt instanceof Date ? processedAt : new Date(processedAt);
  if (Number.isNaN(at.getTime())) return { ok: false, reason: "processed_at is not a valid timestamp" };
  const aheadMs = at.getTime() - now.getTime();
  if (aheadMs > maxSkewSeconds * 1000) {
    return {
      ok: false,
      reason: `processed_at is ${Math.round(aheadMs / 1000)} s in the future (at most ${maxSkewSeconds} s allowed)`,
    };
  }
  return { ok: true };
}
