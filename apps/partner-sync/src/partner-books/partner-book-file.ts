import { pipeline, Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import { ByteMeter, PartnerBookTooLargeError } from "./partner-book-byte-meter";
import {
  DEFAULT_PARTNER_BOOK_BATCH_SIZE,
  DEFAULT_PARTNER_BOOK_MAX_BYTES,
  type PartnerBookReadOutcome,
  type PartnerBookReadProgress,
  type PartnerBookRow,
} from "./partner-book-format";
import { delimiterOf } from "./partner-book-header";
import { lineBreaksIn, NOT_UTF8, PartnerBookRowChecker } from "./partner-book-row-checker";

export type PartnerBookSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ReadPartnerBookOptions {
  /** Reading stops with a "too-large" outcome as soon as the file exceeds this. Default 200 MiB. */
  maxBytes?: number;
  /** Rows per yielded batch. Default 5,000. */
  batchSize?: number;
  /** The file's size when known (stat, Content-Length), passed through to `onProgress`. */
  totalBytes?: number | null;
  /** Called after every chunk read. */
  onProgress?: (progress: PartnerBookReadProgress) => void;
}

/** A sane record is well under 1 KiB; a longer one is almost surely a quote never closed. */
const MAX_RECORD_BYTES = 64 * 1024;
/** The delimiter is told from the header line, looked for in at most this many leading bytes. */
const HEAD_BYTES = 64 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Streams a partner book file (domain.md §10), yielding its valid rows in batches while it reads
 * and returning the outcome at the end. Batches stop as soon as one error is found, since the
 * file will be refused; batches already yielded are the caller's to discard unless the outcome
 * is "valid". Memory stays flat: only counters, the debtor line index and 100 errors are kept.
 */
export async function* readPartnerBookFile(
  source: PartnerBookSource,
  options: ReadPartnerBookOptions = {},
): AsyncGenerator<PartnerBookRow[], PartnerBookReadOutcome, undefined> {
  const maxBytes = options.maxBytes ?? DEFAULT_PARTNER_BOOK_MAX_BYTES;
  const batchSize = options.batchSize ?? DEFAULT_PARTNER_BOOK_BATCH_SIZE;
  const meter = new ByteMeter({ maxBytes, totalBytes: options.totalBytes ?? null, onProgress: options.onProgress });
  const tooLarge = (): PartnerBookReadOutcome => ({ kind: "too-large", bytesRead: meter.bytesRead, maxBytes });
  const chunks: AsyncIterator<Buffer> = metered(source, meter)[Symbol.asyncIterator]();
  const checker = new PartnerBookRowChecker();

  let head: Buffer;
  try {
    head = await readHead(chunks);
  } catch (error) {
    await chunks.return?.();
    if (error instanceof PartnerBookTooLargeError) return tooLarge();
    throw error;
  }
  if (isUtf16(head)) {
    await chunks.return?.();
    checker.errors.add({ line: 1, column: null, reason: "the file is UTF-16; save it as UTF-8" });
    return invalid(checker, meter);
  }
  if (head.subarray(0, 3).equals(UTF8_BOM)) head = head.subarray(3);
  const delimiter = delimiterOf(firstLine(head));

  // Set from the parser's callback; a holder keeps TypeScript from narrowing it to its initial null.
  const stop: { broken: { recordsBefore: number; error: CsvError } | null } = { broken: null };
  const parser = parse({
    delimiter,
    record_delimiter: ["\r\n", "\n", "\r"],
    bom: false,
    relax_column_count: true,
    // Blank lines come through as [""] so that every physical line is accounted for.
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
    // A broken record is reported to on_skip instead of destroying the stream with the records
    // before it still unread; it is where checking stops.
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error && !stop.broken) stop.broken = { recordsBefore: parser.info.records, error };
      return undefined;
    },
  });
  const input = Readable.from(feed(head, chunks, () => stop.broken !== null));
  pipeline(input, parser, () => {});

  let nextLine = 1;
  let consumed = 0;
  let batch: PartnerBookRow[] = [];
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      if (stop.broken && consumed >= stop.broken.recordsBefore) break;
      consumed += 1;
      const line = nextLine;
      nextLine = line + lineBreaksIn(fields) + 1;
      if (fields.length === 1 && fields[0] === "") continue;
      const notUtf8Lines = meter.takeInvalidLines(nextLine - 1);
      if (!checker.headerSeen) {
        checker.checkHeader(fields, line, notUtf8Lines);
        continue;
      }
      const row = checker.checkRecord(fields, line, notUtf8Lines);
      if (row && checker.errors.total === 0) {
        batch.push(row);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
  } catch (error) {
    if (error instanceof PartnerBookTooLargeError) return tooLarge();
    throw error;
  } finally {
    input.destroy();
    parser.destroy();
  }

  const stoppedAt = stop.broken;
  if (stoppedAt) {
    const position = typeof stoppedAt.error.column === "number" ? stoppedAt.error.column : -1;
    checker.errors.add({
      line: nextLine,
      column: checker.columnName(position),
      reason: syntaxProblem(stoppedAt.error),
    });
  }
  for (const line of meter.takeInvalidLines()) checker.errors.add({ line, column: null, reason: NOT_UTF8 });
  if (!stoppedAt && !checker.headerSeen) {
    checker.errors.add({ line: 1, column: null, reason: "the file is empty; it needs a header row and data rows" });
  } else if (!stoppedAt && checker.headerRecognised && checker.rows === 0) {
    checker.errors.add({ line: nextLine, column: null, reason: "the file has a header row but no data rows" });
  }
  if (checker.errors.total > 0) return invalid(checker, meter);
  if (batch.length > 0) yield batch;
  return {
    kind: "valid",
    rows: checker.rows,
    bytesRead: meter.bytesRead,
    sha256: meter.sha256(),
    delimiter,
    ...checker.asOf(),
  };
}

/**
 * Reads the whole file, handing each batch to `onRows` (awaited, so a slow store slows the read)
 * and resolving with the outcome. If `onRows` throws, reading stops and the error propagates.
 */
export async function consumePartnerBookFile(
  source: PartnerBookSource,
  onRows: (rows: PartnerBookRow[]) => Promise<void> | void,
  options: ReadPartnerBookOptions = {},
): Promise<PartnerBookReadOutcome> {
  const reader = readPartnerBookFile(source, options);
  for (;;) {
    const step = await reader.next();
    if (step.done) return step.value;
    try {
      await onRows(step.value);
    } catch (error) {
      await reader.throw(error).catch(() => undefined);
      throw error;
    }
  }
}

function invalid(checker: PartnerBookRowChecker, meter: ByteMeter): PartnerBookReadOutcome {
  return {
    kind: "invalid",
    rows: checker.rows,
    bytesRead: meter.bytesRead,
    errors: checker.errors.byLine(),
    totalErrors: checker.errors.total,
  };
}

async function* metered(source: PartnerBookSource, meter: ByteMeter): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield meter.take(chunk);
  meter.finish();
}

/** Pulls chunks until the first line (after any blank ones) is complete, or HEAD_BYTES are in. */
async function readHead(chunks: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < HEAD_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    parts.push(next.value);
    length += next.value.length;
    if (hasLineBreakAfterText(next.value)) break;
  }
  return Buffer.concat(parts);
}

function hasLineBreakAfterText(chunk: Buffer): boolean {
  const text = chunk.findIndex((byte) => byte !== 0x0a && byte !== 0x0d);
  return text !== -1 && (chunk.indexOf(0x0a, text) !== -1 || chunk.indexOf(0x0d, text) !== -1);
}

function firstLine(head: Buffer): Buffer {
  let start = 0;
  while (head[start] === 0x0a || head[start] === 0x0d) start += 1;
  let end = start;
  while (end < head.length && head[end] !== 0x0a && head[end] !== 0x0d) end += 1;
  return head.subarray(start, end);
}

function isUtf16(head: Buffer): boolean {
  return (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
}

async function* feed(head: Buffer, chunks: AsyncIterator<Buffer>, stop: () => boolean): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head;
    while (!stop()) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await chunks.return?.();
  }
}

function syntaxProblem(error: CsvError): string {
  const rest = "; the rest of the file was not checked";
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `a quoted field in the record starting on this line is never closed${rest}`;
    case "CSV_INVALID_CLOSING_QUOTE":
      return `a closing quote is followed by other characters; inside a quoted field write a quote as ""${rest}`;
    case "INVALID_OPENING_QUOTE":
      return `a quote (") inside an unquoted field; quote the whole field and double the quote${rest}`;
    case "CSV_MAX_RECORD_SIZE":
      return `the record starting on this line is longer than ${MAX_RECORD_BYTES} bytes; most likely a quote is never closed${rest}`;
    default:
      return `the CSV cannot be read here (${error.code})${rest}`;
  }
}
