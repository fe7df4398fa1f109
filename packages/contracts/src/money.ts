import { z } from "zod";

/**
 * Money travels as a decimal string with at most two decimals ("1234.50") and is handled in
 * code as an integer number of cents, so no amount is ever a binary float. Every amount this
 * product accepts is below 10^13 cents, well inside Number.MAX_SAFE_INTEGER.
 */
const MONEY_PATTERN = /^(0|[1-9]\d*)(\.\d{1,2})?$/;
export const MAX_SAFE_CENTS = 10 ** 13;

/** Parses "1234.5" / "1234.50" / "1234" into cents; returns null for anything else. */
export function parseCents(text: string): number | null {
  // MONEY_PATTERN, read one character at a time: processing parses two amounts per debtor.
  const length = text.length;
  let i = 0;
  let whole = 0;
  const first = text.charCodeAt(0);
  if (first === ZERO) {
    i = 1;
  } else if (first > ZERO && first <= NINE) {
    for (; i < length; i += 1) {
      const code = text.charCodeAt(i);
      if (code < ZERO || code > NINE) break;
      whole = whole * 10 + (code - ZERO);
    }
  } else {
    return null;
  }
  let fraction = 0;
  if (i < length) {
    if (text.charCodeAt(i) !== DOT || length - i < 2 || length - i > 3) return null;
    for (let j = i + 1; j < length; j += 1) {
      const code = text.charCodeAt(j);
      if (code < ZERO || code > NINE) return null;
      fraction = fraction * 10 + (code - ZERO);
    }
    if (length - i === 2) fraction *= 10;
  }
  const cents = whole * 100 + fraction;
  return Number.isSafeInteger(cents) && cents < MAX_SAFE_CENTS ? cents : null;
}

const ZERO = 48;
const NINE = 57;
const DOT = 46;

export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, "0");
  return `${sign}${whole}.${fraction}`;
}

/** Cents from a database value: a decimal string, a Prisma Decimal or an SQLite number. */
export function centsFromDb(value: unknown): number {
  if (typeof value === "number") return Math.round(value * 100);
  if (typeof value === "bigint") return Number(value) * 100;
  const cents = parseCents(normaliseDecimalText(String(value)));
  if (cents === null) throw new Error(`not a money amount: ${String(value)}`);
  return cents;
}

function normaliseDecimalText(text: string): string {
  // Prisma Decimal and MySQL may render "1234.5", "1234.500000" or "1e+3"; keep to cents.
  if (/e/i.test(text)) return Number(text).toFixed(2);
  const [whole = "0", fraction = ""] = text.split(".");
  return fraction.length > 2 ? `${whole}.${fraction.slice(0, 2)}` : text;
}

/**
 * A money field of the API: a decimal string, ≥ 0, at most two decimals, below `max` (in
 * major units, exclusive) when given. Numbers are refused: they are binary floats.
 */
export function moneyString(options: { max?: number } = {}) {
  const maxCents = options.max === undefined ? MAX_SAFE_CENTS : options.max * 100;
  return z
    .string()
    .regex(MONEY_PATTERN, {
      error: 'must be a decimal string ≥ 0 with at most two decimals, e.g. "1234.50"',
      // A malformed amount has one problem, not also a misleading "must be below".
      abort: true,
    })
    .refine(
      (text) => {
        const cents = parseCents(text);
        return cents !== null && cents < maxCents;
      },
      `must be below ${options.max ?? MAX_SAFE_CENTS / 100}`,
    )
    .meta({ example: "1234.50" });
}
