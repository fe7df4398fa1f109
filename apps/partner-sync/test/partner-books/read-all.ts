import {
  consumePartnerBookFile,
  type PartnerBookSource,
  type ReadPartnerBookOptions,
} from "../../src/partner-books/partner-book-file";
import type { PartnerBookRow } from "../../src/partner-books/partner-book-format";

/** Reads a whole file into memory (small test files only), keeping the batches as yielded. */
export async function readAll(source: PartnerBookSource | string | Buffer, options: ReadPartnerBookOptions = {}) {
  const chunks = typeof source === "string" ? [Buffer.from(source)] : Buffer.isBuffer(source) ? [source] : source;
  const batches: PartnerBookRow[][] = [];
  const outcome = await consumePartnerBookFile(chunks, (rows) => void batches.push(rows), options);
  return { outcome, batches, rows: batches.flat() };
}

/** The errors of an invalid outcome as "line:column" strings, for compact assertions. */
export function errorPlaces(outcome: { kind: string; errors?: { line: number; column: string | null }[] }): string[] {
  return (outcome.errors ?? []).map((error) => `${error.line}:${error.column ?? "-"}`);
}
