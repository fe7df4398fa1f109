import fc from "fast-check";

/**
 * A plain model of domain.md §10 for property tests, written from the text and not from the
 * reader: a generated file as cells, how it renders to bytes, and which (line, column) pairs a
 * reader must refuse. Lines are found by counting breaks before each field's offset in the
 * rendered text, not by counting them per field as the reader does.
 */
export const MODEL_COLUMNS = ["debtor_id", "balance", "status", "reference", "as_of"] as const;
export type ModelColumn = (typeof MODEL_COLUMNS)[number];

export interface ModelFile {
  bom: boolean;
  delimiter: "," | ";";
  /** The header, in file order, with the spelling used in the file. */
  columns: { column: ModelColumn; written: string }[];
  rows: {
    cells: Partial<Record<ModelColumn, string>>;
    quoted: boolean[];
    ending: "\n" | "\r\n";
    blankAfter: boolean;
  }[];
  trailingNewline: boolean;
}

export interface RenderedFile {
  bytes: Buffer;
  /** The physical line each row's fields start on, by column. */
  fieldLines: Partial<Record<ModelColumn, number>>[];
  /** The physical line each row starts on. */
  rowLines: number[];
}

export const oracleValid: Record<ModelColumn, (text: string) => boolean> = {
  debtor_id: (text) => /^[1-9][0-9]*$/.test(text) && BigInt(text) <= 2_147_483_647n,
  balance: (text) => /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/.test(text) && BigInt(text.split(".")[0] ?? "") < 10n ** 11n,
  status: (text) => /^(unpaid|partial|paid)$/i.test(text),
  reference: (text) => Array.from(text).length <= 64,
  as_of: (text) => text === "" || (/^\d{4}-\d{2}-\d{2}$/.test(text) && text >= "1000" && isCalendarDate(text)),
};

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function render(file: ModelFile): RenderedFile {
  let text = file.bom ? "\ufeff" : "";
  const fieldOffsets: Partial<Record<ModelColumn, number>>[] = [];
  const rowOffsets: number[] = [];
  const field = (value: string, quoted: boolean) =>
    quoted || /[,;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  text += file.columns.map(({ written }) => written).join(file.delimiter);
  file.rows.forEach((row, index) => {
    text += index === 0 ? "\n" : (file.rows[index - 1]?.ending ?? "\n");
    if (file.rows[index - 1]?.blankAfter) text += "\n";
    const offsets: Partial<Record<ModelColumn, number>> = {};
    rowOffsets.push(text.length);
    file.columns.forEach(({ column }, position) => {
      if (position > 0) text += file.delimiter;
      offsets[column] = text.length;
      text += field(row.cells[column] ?? "", row.quoted[position] ?? false);
    });
    fieldOffsets.push(offsets);
  });
  if (file.trailingNewline) text += "\n";
  const lineAt = (offset: number) => text.slice(0, offset).split(/\r\n|\r|\n/).length;
  const fieldLines = fieldOffsets.map((offsets) =>
    Object.fromEntries(Object.entries(offsets).map(([column, offset]) => [column, lineAt(offset)])),
  );
  return { bytes: Buffer.from(text, "utf8"), fieldLines, rowLines: rowOffsets.map(lineAt) };
}

/** Every (line, column) the file must be refused for, duplicates at the later line. */
export function expectedErrors(file: ModelFile, rendered: RenderedFile): { line: number; column: string }[] {
  const errors: { line: number; column: string }[] = [];
  const firstLineOf = new Map<string, number>();
  file.rows.forEach((row, index) => {
    const lines = rendered.fieldLines[index] ?? {};
    for (const { column } of file.columns) {
      const text = row.cells[column] ?? "";
      const line = lines[column] ?? 0;
      if (!oracleValid[column](text)) {
        errors.push({ line, column });
        continue;
      }
      if (column !== "debtor_id") continue;
      if (firstLineOf.has(text)) errors.push({ line, column });
      else firstLineOf.set(text, line);
    }
  });
  return errors;
}

/** The rows a valid file must give, in the reader's shape. */
export function expectedRows(file: ModelFile, rendered: RenderedFile) {
  const has = (column: ModelColumn) => file.columns.some((entry) => entry.column === column);
  return file.rows.map((row, index) => {
    const [whole = "0", fraction = ""] = (row.cells.balance ?? "").split(".");
    return {
      line: rendered.rowLines[index] ?? 0,
      debtorId: Number(row.cells.debtor_id),
      balanceCents: Number(BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"))),
      status: (row.cells.status ?? "").toUpperCase(),
      reference: has("reference") && row.cells.reference ? row.cells.reference : null,
      asOf: has("as_of") && row.cells.as_of ? row.cells.as_of : null,
    };
  });
}

const mixedCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((flips) => [...word].map((letter, i) => (flips[i] ? letter.toUpperCase() : letter.toLowerCase())).join(""));

const validCents = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 13n - 1n }),
  fc.constantFrom(0n, 1n, 99n, 100n, 10n ** 13n - 1n),
);
const balanceText = (cents: bigint, decimals: number) => {
  const whole = (cents / 100n).toString();
  const fraction = (cents % 100n).toString().padStart(2, "0");
  if (decimals === 2) return `${whole}.${fraction}`;
  if (decimals === 1 && fraction.endsWith("0")) return `${whole}.${fraction[0]}`;
  return fraction === "00" ? whole : `${whole}.${fraction}`;
};

export const cellArbitraries: Record<ModelColumn, fc.Arbitrary<string>> = {
  debtor_id: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 2_147_483_647 }).map(String) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 40 }).map(String) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("0", "-5", "007", "2147483648", "99999999999", "1.5", "", " 5", "abc", "+5"),
    },
  ),
  balance: fc.oneof(
    { weight: 8, arbitrary: fc.tuple(validCents, fc.integer({ min: 0, max: 2 })).map(([c, d]) => balanceText(c, d)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "1,234.50",
        "-1.00",
        "1.234",
        "12,50",
        "",
        "abc",
        "1e3",
        "100000000000.00",
        "01.00",
        ".5",
        "5.",
        " 5.00",
        "1 234.50",
      ),
    },
  ),
  status: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom("unpaid", "partial", "paid").chain(mixedCase) },
    { weight: 1, arbitrary: fc.constantFrom("PAYED", "paıd", "", "UN PAID", " PAID", "OPEN") },
  ),
  reference: fc.oneof(
    fc.constant(""),
    fc.string({ unit: "binary", maxLength: 66 }),
    fc.string({ unit: "binary", minLength: 63, maxLength: 66 }),
    fc.string({
      unit: fc.constantFrom("a", "Z", "7", ",", ";", '"', "\n", "\r\n", "\r", " ", "é", "😀"),
      maxLength: 66,
    }),
  ),
  as_of: fc.oneof(
    { weight: 3, arbitrary: fc.constant("") },
    {
      weight: 6,
      arbitrary: fc
        .date({ min: new Date("1000-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
    },
    { weight: 1, arbitrary: fc.constantFrom("2024-02-29", "2000-02-29", "1000-01-01", "9999-12-31") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "2026-02-30",
        "2025-02-29",
        "1900-02-29",
        "2026-13-01",
        "2026-1-5",
        "0999-12-31",
        "31/01/2026",
        "2026-04-31",
      ),
    },
  ),
};

const headerArbitrary = fc
  .tuple(fc.boolean(), fc.boolean())
  .chain(([withReference, withAsOf]) => {
    const columns: ModelColumn[] = ["debtor_id", "balance", "status"];
    if (withReference) columns.push("reference");
    if (withAsOf) columns.push("as_of");
    return fc.shuffledSubarray(columns, { minLength: columns.length, maxLength: columns.length });
  })
  .chain((columns) =>
    fc.tuple(
      ...columns.map((column) =>
        fc
          .tuple(mixedCase(column), fc.constantFrom("", " "))
          .map(([written, pad]) => ({ column, written: `${pad}${written}${pad}` })),
      ),
    ),
  );

export const modelFileArbitrary: fc.Arbitrary<ModelFile> = headerArbitrary.chain((columns) =>
  fc.record({
    bom: fc.boolean(),
    delimiter: fc.constantFrom(",", ";"),
    columns: fc.constant(columns),
    rows: fc.array(
      fc.record({
        cells: fc.record(Object.fromEntries(columns.map(({ column }) => [column, cellArbitraries[column]]))),
        quoted: fc.array(fc.boolean(), { minLength: columns.length, maxLength: columns.length }),
        ending: fc.constantFrom("\n" as const, "\r\n" as const),
        blankAfter: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
      }),
      { minLength: 1, maxLength: 25 },
    ),
    trailingNewline: fc.boolean(),
  }),
);

/** Cuts bytes into chunks at arbitrary places, down to single bytes, as a socket may. */
export function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  return chunks;
}
