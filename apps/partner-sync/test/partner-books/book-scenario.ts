import type { PaymentStatus } from "@smartrecover/contracts";
import type { ModelColumn } from "./partner-book-model";

/**
 * An independent model of domain.md §8 against an imported book (§10), written from the text for
 * a 1.0 % tolerance: internal 0 matches only 0; otherwise |e − i| / i ≤ 1/100, i.e. 100·|e − i| ≤ i,
 * on whole cents. Statuses equal; no row → MISSING_AT_PARTNER.
 */
export interface Internal {
  cents: number;
  status: PaymentStatus;
}
export interface BookEntry {
  debtorId: number;
  cents: number;
  status: PaymentStatus;
}

export function expectedTypes(internal: Internal, book: BookEntry | undefined): string[] {
  if (!book) return ["MISSING_AT_PARTNER"];
  const types: string[] = [];
  const balanceOk =
    internal.cents === 0 ? book.cents === 0 : 100 * Math.abs(book.cents - internal.cents) <= internal.cents;
  if (!balanceOk) types.push("BALANCE_MISMATCH");
  if (book.status !== internal.status) types.push("STATUS_MISMATCH");
  return types;
}

export const CASES = [
  "equal",
  "inside-above",
  "outside-above",
  "inside-below",
  "outside-below",
  "status",
  "zero-both",
  "zero-internal",
  "zero-partner",
  "missing",
] as const;
export type BookCase = (typeof CASES)[number];

const OTHER: Record<PaymentStatus, PaymentStatus> = { UNPAID: "PARTIAL", PARTIAL: "PAID", PAID: "UNPAID" };

/** The internal values a debtor of this case is synced with. */
export function internalFor(bookCase: BookCase, debtorId: number): Internal {
  const status: PaymentStatus = (["UNPAID", "PARTIAL", "PAID"] as const)[debtorId % 3] ?? "UNPAID";
  if (bookCase === "zero-both" || bookCase === "zero-internal") return { cents: 0, status };
  // Amounts whose 1 % is not a whole cent too, so floor() matters at the boundary.
  return { cents: 10_000 + debtorId * 137, status };
}

/** The partner's row for a debtor of this case: on either side of the 1 % boundary, zeros, missing. */
export function bookFor(bookCase: BookCase, debtorId: number, internal: Internal): BookEntry | undefined {
  const onePercent = Math.floor(internal.cents / 100);
  const entry = (cents: number, status = internal.status) => ({ debtorId, cents, status });
  switch (bookCase) {
    case "equal":
      return entry(internal.cents);
    case "inside-above":
      return entry(internal.cents + onePercent);
    case "outside-above":
      return entry(internal.cents + onePercent + 1);
    case "inside-below":
      return entry(internal.cents - onePercent);
    case "outside-below":
      return entry(internal.cents - onePercent - 1);
    case "status":
      return entry(internal.cents, OTHER[internal.status]);
    case "zero-both":
      return entry(0);
    case "zero-internal":
      return entry(1);
    case "zero-partner":
      return entry(0);
    case "missing":
      return undefined;
  }
}

export interface BookStyle {
  bom: boolean;
  delimiter: "," | ";";
  /** Header order and spelling. */
  columns: { column: ModelColumn; written: string }[];
  lowercaseStatus: boolean;
}

export const PLAIN_STYLE: BookStyle = {
  bom: false,
  delimiter: ",",
  columns: [
    { column: "debtor_id", written: "debtor_id" },
    { column: "balance", written: "balance" },
    { column: "status", written: "status" },
  ],
  lowercaseStatus: false,
};

/** BOM, `;`, columns reordered and in mixed case, statuses in lower case, an optional column. */
export const AWKWARD_STYLE: BookStyle = {
  bom: true,
  delimiter: ";",
  columns: [
    { column: "status", written: "Status" },
    { column: "reference", written: "REFERENCE" },
    { column: "balance", written: "Balance" },
    { column: "debtor_id", written: "Debtor_ID" },
  ],
  lowercaseStatus: true,
};

const text = (cents: number) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

/**
 * The file's bytes, written here and not by the product's writer. (The format model's render()
 * also maps every field to its line, which is quadratic: too slow for books of 40,000 rows.)
 */
export function renderBook(entries: readonly BookEntry[], style: BookStyle): Buffer {
  const cells = (entry: BookEntry): Record<ModelColumn, string> => ({
    debtor_id: String(entry.debtorId),
    balance: text(entry.cents),
    status: style.lowercaseStatus ? entry.status.toLowerCase() : entry.status,
    reference: `ACC-${entry.debtorId}`,
    as_of: "2026-11-30",
  });
  const lines = [
    style.columns.map((c) => c.written).join(style.delimiter),
    ...entries.map((entry) => {
      const row = cells(entry);
      return style.columns.map((c) => row[c.column]).join(style.delimiter);
    }),
  ];
  return Buffer.from(`${style.bom ? "\ufeff" : ""}${lines.join("\r\n")}\r\n`, "utf8");
}
