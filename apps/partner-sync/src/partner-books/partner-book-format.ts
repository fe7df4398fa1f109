import type { PaymentStatus } from "@smartrecover/contracts";

/** The columns of a partner book file (domain.md §10), in the order the writer emits them. */
export const PARTNER_BOOK_COLUMNS = ["debtor_id", "balance", "status", "reference", "as_of"] as const;
export type PartnerBookColumn = (typeof PARTNER_BOOK_COLUMNS)[number];
export const REQUIRED_PARTNER_BOOK_COLUMNS: readonly PartnerBookColumn[] = ["debtor_id", "balance", "status"];

export const MAX_REFERENCE_LENGTH = 64;
/** The reader reports this many errors in full and counts the rest. */
export const MAX_REPORTED_ERRORS = 100;
export const DEFAULT_PARTNER_BOOK_MAX_BYTES = 200 * 1024 * 1024;
export const DEFAULT_PARTNER_BOOK_BATCH_SIZE = 5_000;

/** One debtor in the partner's book, as stored and as written back out. */
export interface PartnerBookEntry {
  debtorId: number;
  balanceCents: number;
  status: PaymentStatus;
  /** The partner's own account id; null when the file leaves it empty or has no such column. */
  reference: string | null;
  /** ISO date YYYY-MM-DD; null when not given. */
  asOf: string | null;
}

/** A validated row of a file, with the physical line it starts on (the header is line 1). */
export interface PartnerBookRow extends PartnerBookEntry {
  line: number;
}

export interface PartnerBookFileError {
  /** Physical line as an editor shows it; the header is line 1. */
  line: number;
  /** The column's name in lower case (as written for an unknown column); null when the whole line or file is at fault. */
  column: string | null;
  reason: string;
}

export interface PartnerBookReadProgress {
  bytesRead: number;
  /** As the caller announced it (file size, Content-Length); null when unknown. */
  totalBytes: number | null;
}

export type PartnerBookReadOutcome =
  | {
      kind: "valid";
      rows: number;
      bytesRead: number;
      /** Hex SHA-256 of the file's bytes as received, BOM included. */
      sha256: string;
      /** The latest `as_of` of the rows; null when no row gives one. */
      asOf: string | null;
      /** True when rows give different `as_of` dates, or some give one and some do not. */
      asOfVaries: boolean;
      delimiter: "," | ";";
    }
  | {
      kind: "invalid";
      /** Data rows read before the reader stopped (all of them unless the CSV itself was broken). */
      rows: number;
      bytesRead: number;
      /** The first MAX_REPORTED_ERRORS errors, by line. */
      errors: PartnerBookFileError[];
      totalErrors: number;
    }
  | { kind: "too-large"; bytesRead: number; maxBytes: number };

/** Quotes a value for an error reason, cut short so one wild field cannot flood a report. */
export function quoteValue(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}
