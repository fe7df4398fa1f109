const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** The longest a token may live (domain.md §9). */
export const MAX_TOKEN_LIFETIME_SECONDS = 30 * 86_400;

/**
 * Parses a lifetime written `30s`, `15m`, `8h` or `30d` (a positive whole number and one unit,
 * nothing else) into seconds; throws with a readable reason otherwise or when over 30 days.
 */
export function parseTokenLifetime(text: string): number {
  const match = /^([1-9]\d{0,6})([smhd])$/.exec(text);
  if (!match) throw new RangeError(`must be a whole number followed by s, m, h or d (e.g. 8h), got "${text}"`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (seconds > MAX_TOKEN_LIFETIME_SECONDS) throw new RangeError(`must be at most 30d, got "${text}"`);
  return seconds;
}
