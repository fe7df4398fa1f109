import { formatCents, type PaymentStatus } from "@smartrecover/contracts";
import type { PartnerBook } from "./partner-simulator";

export const DISCREPANCY_TYPES = ["BALANCE_MISMATCH", "STATUS_MISMATCH", "MISSING_AT_PARTNER"] as const;
export type DiscrepancyType = (typeof DISCREPANCY_TYPES)[number];
export const RECONCILIATION_STATUSES = ["PENDING", "MATCHED", "DISCREPANCY"] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];

/** The tolerance as an exact integer: percent × 10^4 (config allows four decimals). */
export interface Tolerance {
  readonly scaled: bigint;
  /** The same value as decimal text with four decimals, as stored ("1.0000"). */
  readonly text: string;
}

const TOLERANCE_SCALE = 10_000n;
const MAX_TOLERANCE = 100n * TOLERANCE_SCALE;

/** domain.md §8: negative is an error, above 100 is treated as 100. */
export function toleranceFrom(percent: number | string): Tolerance {
  const text = String(percent).trim();
  const match = /^(-)?(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) throw new RangeError(`tolerance must be a decimal with at most four decimals, got "${text}"`);
  const [, minus, whole = "0", fraction = ""] = match;
  const scaled = BigInt(whole) * TOLERANCE_SCALE + BigInt(fraction.padEnd(4, "0"));
  if (minus && scaled > 0n) throw new RangeError(`tolerance must not be negative, got ${text}`);
  const clamped = scaled > MAX_TOLERANCE ? MAX_TOLERANCE : scaled;
  return {
    scaled: clamped,
    text: `${clamped / TOLERANCE_SCALE}.${String(clamped % TOLERANCE_SCALE).padStart(4, "0")}`,
  };
}

/**
 * Internal 0 matches only an external 0; otherwise |ext − int| / int ≤ tolerance / 100,
 * compared as |ext − int| × 100 × 10^4 ≤ tolerance × 10^4 × int so no division or float is involved.
 */
export function balancesMatch(internalCents: number, externalCents: number, tolerance: Tolerance): boolean {
  if (internalCents === 0) return externalCents === 0;
  const difference = BigInt(Math.abs(externalCents - internalCents));
  return difference * 100n * TOLERANCE_SCALE <= tolerance.scaled * BigInt(internalCents);
}

/** (ext − int) / int × 100 with four decimals, rounded half away from zero; null when int is 0. */
export function differencePercent(internalCents: number, externalCents: number): string | null {
  if (internalCents === 0) return null;
  const numerator = BigInt(externalCents - internalCents) * 100n * TOLERANCE_SCALE;
  const denominator = BigInt(internalCents);
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  const text = `${rounded / TOLERANCE_SCALE}.${String(rounded % TOLERANCE_SCALE).padStart(4, "0")}`;
  return negative && rounded > 0n ? `-${text}` : text;
}

export interface InternalView {
  balanceCents: number;
  status: PaymentStatus;
}

/** One kind of difference between our book and the partner's (domain.md §8). */
export interface Difference {
  type: DiscrepancyType;
  internalValue: string;
  externalValue: string | null;
  /** external − internal in cents; null for status and missing differences. */
  differenceCents: number | null;
  differencePercent: string | null;
}

export interface ReconciliationResult {
  status: Exclude<ReconciliationStatus, "PENDING">;
  differences: Difference[];
}

export function reconcile(
  internal: InternalView,
  partner: PartnerBook | null,
  tolerance: Tolerance,
): ReconciliationResult {
  if (partner === null) {
    return {
      status: "DISCREPANCY",
      differences: [
        {
          type: "MISSING_AT_PARTNER",
          internalValue: formatCents(internal.balanceCents),
          externalValue: null,
          differenceCents: null,
          differencePercent: null,
        },
      ],
    };
  }
  const differences: Difference[] = [];
  if (!balancesMatch(internal.balanceCents, partner.balanceCents, tolerance)) {
    differences.push({
      type: "BALANCE_MISMATCH",
      internalValue: formatCents(internal.balanceCents),
      externalValue: formatCents(partner.balanceCents),
      differenceCents: partner.balanceCents - internal.balanceCents,
      differencePercent: differencePercent(internal.balanceCents, partner.balanceCents),
    });
  }
  if (internal.status !== partner.status) {
    differences.push({
      type: "STATUS_MISMATCH",
      internalValue: internal.status,
      externalValue: partner.status,
      differenceCents: null,
      differencePercent: null,
    });
  }
  return { status: differences.length === 0 ? "MATCHED" : "DISCREPANCY", differences };
}
