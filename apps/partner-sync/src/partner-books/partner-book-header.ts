import {
  PARTNER_BOOK_COLUMNS,
  type PartnerBookColumn,
  type PartnerBookFileError,
  quoteValue,
  REQUIRED_PARTNER_BOOK_COLUMNS,
} from "./partner-book-format";

export type PartnerBookDelimiter = "," | ";";

/** Where each known column sits in a record; only built when every required column is present. */
export interface HeaderLayout {
  width: number;
  index: Record<PartnerBookColumn, number | undefined>;
  /** Every header name, trimmed and in lower case, by position. */
  names: readonly string[];
}

const COMMA = 0x2c;
const SEMICOLON = 0x3b;

/** `;` when the header line has more semicolons than commas, else `,` (column names hold neither). */
export function delimiterOf(headerLine: Uint8Array): PartnerBookDelimiter {
  let commas = 0;
  let semicolons = 0;
  for (const byte of headerLine) {
    if (byte === COMMA) commas += 1;
    else if (byte === SEMICOLON) semicolons += 1;
  }
  return semicolons > commas ? ";" : ",";
}

const EXPECTED = `expected ${REQUIRED_PARTNER_BOOK_COLUMNS.join(", ")} (and optionally reference, as_of)`;

/**
 * Names match in any case and with spaces around them. Unknown columns are refused rather than
 * ignored: a misspelt optional column ("refrence") would otherwise lose its data without a word.
 */
export function checkHeader(
  names: readonly string[],
  line = 1,
): { layout: HeaderLayout | null; errors: PartnerBookFileError[]; recognised: boolean } {
  const errors: PartnerBookFileError[] = [];
  const error = (column: string | null, reason: string) => errors.push({ line, column, reason });
  const normalised = names.map((name) => asciiLowerCase(name.trim()));
  const known = (name: string): name is PartnerBookColumn => (PARTNER_BOOK_COLUMNS as readonly string[]).includes(name);

  if (!normalised.some(known)) {
    error(null, `the first line must be the header row; ${EXPECTED}, got ${quoteValue(names.join(","))}`);
    return { layout: null, errors, recognised: false };
  }
  const index = Object.fromEntries(PARTNER_BOOK_COLUMNS.map((column) => [column, undefined])) as HeaderLayout["index"];
  normalised.forEach((name, position) => {
    if (!known(name)) {
      if (name === "") error(null, `column ${position + 1} of the header has no name; ${EXPECTED}`);
      else error(names[position]?.trim() ?? name, `is not a known column; ${EXPECTED}`);
      return;
    }
    const first = index[name];
    if (first === undefined) index[name] = position;
    else error(name, `appears twice in the header (columns ${first + 1} and ${position + 1})`);
  });
  const missing = REQUIRED_PARTNER_BOOK_COLUMNS.filter((column) => index[column] === undefined);
  for (const column of missing) error(column, "required column is missing from the header");
  const layout = missing.length === 0 ? { width: names.length, index, names: normalised } : null;
  return { layout, errors, recognised: true };
}

function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
