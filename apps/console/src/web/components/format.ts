import type { DiscrepancyType, ReviewState } from "../api/api-types";

const money = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat("en-GB");
const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** Decimal strings from the API, shown with grouping; anything else is shown as given. */
export function formatMoney(value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return /^-?\d+(\.\d+)?$/.test(value) ? money.format(Number(value)) : value;
}

export function formatCount(value: number): string {
  return count.format(value);
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return "—";
  return `${((part / whole) * 100).toFixed(1)} %`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateTime.format(date)} UTC`;
}

export function formatAge(days: number): string {
  return days === 1 ? "1 day" : `${formatCount(days)} days`;
}

const TYPE_LABELS: Record<DiscrepancyType, string> = {
  BALANCE_MISMATCH: "Balance mismatch",
  STATUS_MISMATCH: "Status mismatch",
  MISSING_AT_PARTNER: "Missing at partner",
};
export const typeLabel = (type: DiscrepancyType) => TYPE_LABELS[type] ?? type;

const STATE_LABELS: Record<ReviewState, string> = {
  OPEN: "Open",
  ACKNOWLEDGED: "Acknowledged",
  RESOLVED: "Resolved",
  AUTO_RESOLVED: "Auto-resolved",
};
export const stateLabel = (state: ReviewState) => STATE_LABELS[state] ?? state;

/** UPPER_SNAKE enum values as words ("SELF_EMPLOYED" → "Self employed"). */
export function words(value: string): string {
  const lower = value.toLowerCase().replaceAll("_", " ");
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}
