import { pipeline, Readable } from "node:stream";
import { formatCents } from "@smartrecover/contracts";
import { stringify } from "csv-stringify";
import { PARTNER_BOOK_COLUMNS, type PartnerBookEntry } from "./partner-book-format";

export interface WritePartnerBookOptions {
  /** Start with a UTF-8 BOM, which some spreadsheet programs need to see the file as UTF-8. */
  bom?: boolean;
}

/**
 * Writes a book in the format `readPartnerBookFile` reads: the header
 * `debtor_id,balance,status,reference,as_of`, `,` between fields, CRLF between records,
 * amounts with two decimals, fields quoted as RFC 4180 says (only when they hold a delimiter,
 * a quote or a line break). References are written as they are, so export and import
 * round-trip exactly; no spreadsheet-formula escaping is applied for the same reason.
 *
 * Returns a readable stream of UTF-8 bytes; an error in `entries` destroys it with that error.
 */
export function writePartnerBook(
  entries: AsyncIterable<PartnerBookEntry> | Iterable<PartnerBookEntry>,
  options: WritePartnerBookOptions = {},
): Readable {
  const stringifier = stringify({
    header: true,
    columns: [...PARTNER_BOOK_COLUMNS],
    delimiter: ",",
    record_delimiter: "windows",
    // With an explicit record delimiter csv-stringify would quote only CRLF; a lone CR or LF in
    // a reference must be quoted too or the reader sees a new record.
    quote_record_delimiter: true,
    bom: options.bom ?? false,
  });
  pipeline(Readable.from(records(entries)), stringifier, () => {});
  return stringifier;
}

async function* records(entries: AsyncIterable<PartnerBookEntry> | Iterable<PartnerBookEntry>) {
  for await (const entry of entries) {
    yield [
      String(entry.debtorId),
      formatCents(entry.balanceCents),
      entry.status,
      entry.reference ?? "",
      entry.asOf ?? "",
    ];
  }
}
