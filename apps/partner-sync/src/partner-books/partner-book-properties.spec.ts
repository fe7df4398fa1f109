import { createHash } from "node:crypto";
import { buffer } from "node:stream/consumers";
import { PAYMENT_STATUSES } from "@smartrecover/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chunked,
  expectedErrors,
  expectedRows,
  modelFileArbitrary,
  render,
} from "../../test/partner-books/partner-book-model";
import { readAll } from "../../test/partner-books/read-all";
import type { PartnerBookEntry } from "./partner-book-format";
import { writePartnerBook } from "./partner-book-writer";

const cuts = fc.array(fc.nat(), { maxLength: 12 });
const place = (error: { line: number; column: string | null }) => `${error.line}:${error.column}`;

describe("readPartnerBookFile against the model of domain.md §10", () => {
  it("when any file is generated, then it is refused exactly where the model refuses it, however it is chunked", async () => {
    await fc.assert(
      fc.asyncProperty(modelFileArbitrary, cuts, fc.integer({ min: 1, max: 7 }), async (file, cutAt, batchSize) => {
        const rendered = render(file);
        const expected = expectedErrors(file, rendered);
        const { outcome, rows } = await readAll(chunked(rendered.bytes, cutAt), { batchSize });
        if (expected.length === 0) {
          expect(outcome).toMatchObject({ kind: "valid", rows: file.rows.length, delimiter: file.delimiter });
          expect(rows).toEqual(expectedRows(file, rendered));
          return;
        }
        if (outcome.kind !== "invalid") throw new Error(`expected invalid, got ${outcome.kind}`);
        expect(outcome.totalErrors).toBe(expected.length);
        if (expected.length <= 100) {
          expect(outcome.errors.map(place).sort()).toEqual(expected.map(place).sort());
        }
      }),
      { numRuns: 300 },
    );
  });

  it("when one row's reference holds a byte that is not UTF-8, then exactly that line and column are named", async () => {
    const goodFile = modelFileArbitrary.filter((file) => {
      const rendered = render(file);
      return file.columns.some(({ column }) => column === "reference") && expectedErrors(file, rendered).length === 0;
    });
    await fc.assert(
      fc.asyncProperty(
        goodFile,
        fc.nat(),
        fc.constantFrom(0xff, 0xc0, 0xe2, 0x80),
        cuts,
        async (file, pick, byte, cutAt) => {
          const row = pick % file.rows.length;
          const marked = { ...file, rows: file.rows.map((r, i) => (i === row ? markReference(r) : r)) };
          const rendered = render(marked);
          // The marker goes at the start of the reference, so its line is the field's line.
          const at = rendered.bytes.indexOf("\u2063");
          const bytes = Buffer.concat([
            rendered.bytes.subarray(0, at),
            Buffer.from([byte]),
            rendered.bytes.subarray(at + 3),
          ]);
          const { outcome } = await readAll(chunked(bytes, cutAt));
          if (outcome.kind !== "invalid") throw new Error(`expected invalid, got ${outcome.kind}`);
          expect(outcome.errors.map(place)).toEqual([`${rendered.fieldLines[row]?.reference}:reference`]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

function markReference<T extends { cells: Record<string, string | undefined> }>(row: T): T {
  // U+2063 is three bytes in UTF-8 and never generated otherwise (filtered below if it were).
  const reference = `\u2063${[...(row.cells.reference ?? "")].slice(0, 60).join("")}`;
  return { ...row, cells: { ...row.cells, reference } };
}

const entry: fc.Arbitrary<PartnerBookEntry> = fc.record({
  debtorId: fc.integer({ min: 1, max: 2_147_483_647 }),
  balanceCents: fc.oneof(fc.integer({ min: 0, max: 10 ** 13 - 1 }), fc.constantFrom(0, 1, 10 ** 13 - 1)),
  status: fc.constantFrom(...PAYMENT_STATUSES),
  reference: fc.option(
    fc.oneof(
      fc.string({ unit: "binary", minLength: 1, maxLength: 64 }),
      fc.string({
        unit: fc.constantFrom("a", ",", ";", '"', "\n", "\r\n", "\r", " ", "😀"),
        minLength: 1,
        maxLength: 32,
      }),
    ),
  ),
  asOf: fc.option(
    fc
      .date({ min: new Date("1000-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10)),
  ),
});

describe("writePartnerBook", () => {
  it("when a generated book is written and read back, then the same rows come back on their physical lines", async () => {
    const book = fc.uniqueArray(entry, { selector: (row) => row.debtorId, minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(book, fc.boolean(), cuts, async (entries, bom, cutAt) => {
        const bytes = await buffer(writePartnerBook(entries, { bom }));
        const { outcome, rows } = await readAll(chunked(bytes, cutAt));
        expect(outcome).toMatchObject({ kind: "valid", rows: entries.length });
        expect(outcome.kind === "valid" && outcome.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
        let line = 2;
        const expected = entries.map((row) => {
          const at = line;
          line += (row.reference?.match(/\r\n|\r|\n/g) ?? []).length + 1;
          return { ...row, line: at };
        });
        expect(rows).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("when a book is written, then the header is the canonical one, amounts have two decimals and records end in CRLF", async () => {
    const rows: PartnerBookEntry[] = [
      { debtorId: 7, balanceCents: 5, status: "PARTIAL", reference: 'Smith, "J"', asOf: "2026-12-01" },
      { debtorId: 8, balanceCents: 100_000, status: "PAID", reference: null, asOf: null },
    ];
    const text = (await buffer(writePartnerBook(rows))).toString("utf8");
    expect(text).toBe(
      'debtor_id,balance,status,reference,as_of\r\n7,0.05,PARTIAL,"Smith, ""J""",2026-12-01\r\n8,1000.00,PAID,,\r\n',
    );
  });

  it("when asked for a BOM, then the bytes start with it", async () => {
    const bytes = await buffer(writePartnerBook([], { bom: true }));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("when the rows fail midway, then the stream fails with that error", async () => {
    async function* failing(): AsyncGenerator<PartnerBookEntry> {
      yield { debtorId: 1, balanceCents: 1, status: "PAID", reference: null, asOf: null };
      throw new Error("database went away");
    }
    await expect(buffer(writePartnerBook(failing()))).rejects.toThrow("database went away");
  });
});
