import { DebtorLineIndex } from "./debtor-line-index";
import {
  checkAsOf,
  checkBalance,
  checkDebtorId,
  checkReference,
  checkStatus,
  type FieldCheck,
} from "./partner-book-fields";
import {
  MAX_REPORTED_ERRORS,
  type PartnerBookColumn,
  type PartnerBookFileError,
  type PartnerBookRow,
} from "./partner-book-format";
import { checkHeader, type HeaderLayout } from "./partner-book-header";

const NONE: ReadonlySet<number> = new Set();

export const NOT_UTF8 = "holds bytes that are not UTF-8; save the file as UTF-8";

/** Keeps the first errors in full and counts them all. */
export class ErrorList {
  readonly kept: PartnerBookFileError[] = [];
  total = 0;

  add(error: PartnerBookFileError): void {
    this.total += 1;
    if (this.kept.length < MAX_REPORTED_ERRORS) this.kept.push(error);
  }

  byLine(): PartnerBookFileError[] {
    return [...this.kept].sort((a, b) => a.line - b.line);
  }
}

/**
 * Checks a file's records one at a time, in order: the header, then data rows against it.
 * Keeps only counters, the debtor line index and the kept errors, never the rows.
 */
export class PartnerBookRowChecker {
  readonly errors = new ErrorList();
  headerSeen = false;
  /** False when the first line named no known column at all, i.e. was most likely a data row. */
  headerRecognised = false;
  rows = 0;
  private layout: HeaderLayout | null = null;
  private readonly debtorLines = new DebtorLineIndex();
  private latestAsOf: string | null = null;
  private earliestAsOf: string | null = null;
  private rowsWithoutAsOf = 0;
  private lastAcceptedAsOf: string | null = null;

  /** `notUtf8Lines`: the lines of this record that hold bytes that are not UTF-8. */
  checkHeader(fields: readonly string[], line: number, notUtf8Lines: readonly number[]): void {
    this.headerSeen = true;
    for (const badLine of notUtf8Lines) this.errors.add({ line: badLine, column: null, reason: NOT_UTF8 });
    const { layout, errors, recognised } = checkHeader(fields, line);
    for (const error of errors) this.errors.add(error);
    this.layout = layout;
    this.headerRecognised = recognised;
  }

  /** Returns the row when every field is valid; the errors are kept otherwise. */
  checkRecord(fields: readonly string[], line: number, notUtf8Lines: readonly number[]): PartnerBookRow | null {
    this.rows += 1;
    const errorsBefore = this.errors.total;
    const garbled = notUtf8Lines.length === 0 ? NONE : this.blameNotUtf8(fields, notUtf8Lines);
    const layout = this.layout;
    if (!layout) return null;
    if (fields.length !== layout.width) {
      this.errors.add({ line, column: null, reason: `has ${fields.length} fields, the header has ${layout.width}` });
      return null;
    }
    const debtorId = this.field(fields, line, garbled, "debtor_id", checkDebtorId, undefined);
    const balanceCents = this.field(fields, line, garbled, "balance", checkBalance, undefined);
    const status = this.field(fields, line, garbled, "status", checkStatus, undefined);
    const reference = this.field(fields, line, garbled, "reference", checkReference, null);
    const asOf = this.field(fields, line, garbled, "as_of", this.checkAsOfOnce, null);
    if (debtorId !== undefined) {
      const idLine = lineOfField(fields, layout.index.debtor_id ?? 0, line);
      const firstLine = this.debtorLines.firstLineOrAdd(debtorId, idLine);
      if (firstLine !== 0) {
        const reason = `debtor id ${debtorId} appears twice, on lines ${firstLine} and ${idLine}`;
        this.errors.add({ line: idLine, column: "debtor_id", reason });
      }
    }
    if (
      this.errors.total !== errorsBefore ||
      debtorId === undefined ||
      balanceCents === undefined ||
      status === undefined ||
      reference === undefined ||
      asOf === undefined
    ) {
      return null;
    }
    this.noteAsOf(asOf);
    return { line, debtorId, balanceCents, status, reference, asOf };
  }

  /** Reports each line that is not UTF-8 and returns the positions of the fields blamed for it. */
  private blameNotUtf8(fields: readonly string[], notUtf8Lines: readonly number[]): ReadonlySet<number> {
    const garbled = new Set<number>();
    for (const badLine of notUtf8Lines) {
      // The parser decoded those bytes as U+FFFD: the first such field not yet blamed is the culprit.
      const position = fields.findIndex((field, i) => !garbled.has(i) && field.includes("\uFFFD"));
      if (position >= 0) garbled.add(position);
      this.errors.add({ line: badLine, column: position >= 0 ? this.columnName(position) : null, reason: NOT_UTF8 });
    }
    return garbled;
  }

  /** The column's value; `absent` when the header has no such column, undefined when refused. */
  private field<T>(
    fields: readonly string[],
    line: number,
    garbled: ReadonlySet<number>,
    column: PartnerBookColumn,
    check: (text: string) => FieldCheck<T>,
    absent: T,
  ): T | undefined {
    const position = this.layout?.index[column];
    if (position === undefined) return absent;
    if (garbled.has(position)) return undefined;
    const result = check(fields[position] ?? "");
    if (result.ok) return result.value;
    this.errors.add({ line: lineOfField(fields, position, line), column, reason: result.reason });
    return undefined;
  }

  /** A book usually repeats one as_of on every row: a date already accepted is not parsed again. */
  private readonly checkAsOfOnce = (text: string): FieldCheck<string | null> => {
    if (text !== "" && text === this.lastAcceptedAsOf) return { ok: true, value: text };
    const result = checkAsOf(text);
    if (result.ok && result.value !== null) this.lastAcceptedAsOf = result.value;
    return result;
  };

  /** The column at `position` as the header names it (lower case), or null past the header. */
  columnName(position: number): string | null {
    const name = this.layout?.names[position];
    return name === undefined || name === "" ? null : name;
  }

  asOf(): { asOf: string | null; asOfVaries: boolean } {
    const mixed = this.latestAsOf !== null && this.rowsWithoutAsOf > 0;
    return { asOf: this.latestAsOf, asOfVaries: mixed || this.latestAsOf !== this.earliestAsOf };
  }

  private noteAsOf(asOf: string | null): void {
    if (asOf === null) {
      this.rowsWithoutAsOf += 1;
      return;
    }
    // YYYY-MM-DD compares as text in date order.
    if (this.latestAsOf === null || asOf > this.latestAsOf) this.latestAsOf = asOf;
    if (this.earliestAsOf === null || asOf < this.earliestAsOf) this.earliestAsOf = asOf;
  }
}

/** Line breaks inside a record's quoted fields, counted as an editor does (CRLF, LF, CR). */
export function lineBreaksIn(fields: readonly string[]): number {
  let breaks = 0;
  for (const field of fields) breaks += lineBreaksInText(field);
  return breaks;
}

function lineBreaksInText(text: string): number {
  if (!text.includes("\n") && !text.includes("\r")) return 0;
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function lineOfField(fields: readonly string[], position: number, recordLine: number): number {
  let line = recordLine;
  for (let i = 0; i < position; i += 1) line += lineBreaksInText(fields[i] ?? "");
  return line;
}
