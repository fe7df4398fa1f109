import { MAX_INT32, MAX_SAFE_CENTS, PAYMENT_STATUSES, type PaymentStatus, parseCents } from "@smartrecover/contracts";
import { MAX_REFERENCE_LENGTH, quoteValue } from "./partner-book-format";

/** A field's value, or why it was refused (the reason reads after the column name). */
export type FieldCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): FieldCheck<T> => ({ ok: true, value });
const refused = (reason: string): FieldCheck<never> => ({ ok: false, reason });

const DIGITS = /^\d+$/;
const SURROUNDING_SPACE = /^\s|\s$/;

export function checkDebtorId(text: string): FieldCheck<number> {
  if (text === "") return refused("is required");
  if (SURROUNDING_SPACE.test(text)) return refused(`has spaces around it: ${quoteValue(text)}`);
  if (!DIGITS.test(text)) return refused(`must be a positive whole number, got ${quoteValue(text)}`);
  // Leading zeros are refused like in amounts, so a book exported and imported again reads the same.
  if (text.startsWith("0"))
    return refused(`must be a positive whole number without leading zeros, got ${quoteValue(text)}`);
  const value = text.length > 10 ? Number.POSITIVE_INFINITY : Number(text);
  if (value > MAX_INT32) return refused(`must be at most ${MAX_INT32}, got ${quoteValue(text)}`);
  return ok(value);
}

const MAX_BALANCE_TEXT = `${MAX_SAFE_CENTS / 100}`;

export function checkBalance(text: string): FieldCheck<number> {
  const cents = parseCents(text);
  if (cents !== null) return ok(cents);
  return refused(balanceProblem(text));
}

function balanceProblem(text: string): string {
  const shown = quoteValue(text);
  if (text === "") return "is required";
  if (SURROUNDING_SPACE.test(text)) return `has spaces around the amount: ${shown}`;
  if (/^-\s*\d/.test(text)) return `must not be negative, got ${shown}`;
  if (/^\d{1,3}([,' \u00a0]\d{3})+(\.\d*)?$/.test(text)) return `must not use thousands separators, got ${shown}`;
  if (/^\d+,\d{1,2}$/.test(text)) return `must use "." as the decimal separator, got ${shown}`;
  if (/^\d+\.\d{3,}$/.test(text)) return `must have at most 2 decimals, got ${shown}`;
  if (/^0\d/.test(text)) return `must be written without leading zeros, got ${shown}`;
  if (/^\d+(\.\d{1,2})?$/.test(text)) return `must be below ${MAX_BALANCE_TEXT}, got ${shown}`;
  return `must be a decimal amount like 1234.50, got ${shown}`;
}

export function checkStatus(text: string): FieldCheck<PaymentStatus> {
  if (text === "") return refused("is required");
  // Only ASCII letters fold: "paıd" (dotless i) upper-cases to "PAID" but is not a status.
  const upper = /^[A-Za-z]+$/.test(text) ? text.toUpperCase() : "";
  const status = PAYMENT_STATUSES.find((candidate) => candidate === upper);
  return status ? ok(status) : refused(`must be UNPAID, PARTIAL or PAID, got ${quoteValue(text)}`);
}

export function checkReference(text: string): FieldCheck<string | null> {
  if (text === "") return ok(null);
  // Characters are code points, as a utf8mb4 VARCHAR(64) counts them.
  if (text.length > MAX_REFERENCE_LENGTH) {
    const length = [...text].length;
    if (length > MAX_REFERENCE_LENGTH)
      return refused(`must be at most ${MAX_REFERENCE_LENGTH} characters, has ${length}`);
  }
  return ok(text);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function checkAsOf(text: string): FieldCheck<string | null> {
  if (text === "") return ok(null);
  const match = ISO_DATE.exec(text);
  if (!match) return refused(`must be a date written YYYY-MM-DD, got ${quoteValue(text)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // MySQL's DATE starts at year 1000; a partner's book date before that is a typo anyway.
  if (year < 1000) return refused(`must be a date from 1000-01-01 on, got ${quoteValue(text)}`);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return refused(`is not a real calendar date: ${quoteValue(text)}`);
  }
  return ok(text);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
