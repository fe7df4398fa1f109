import { describe, expect, it } from "vitest";
import { errorPlaces, readAll } from "../../test/partner-books/read-all";
import { readPartnerBookFile } from "./partner-book-file";

const HEADER = "debtor_id,balance,status,reference,as_of";
/** A file of good rows (debtor ids 1…) with `bad` put in as the row on line `line`. */
const fileWith = (line: number, bad: string, rows = 8) =>
  [HEADER, ...Array.from({ length: rows }, (_, i) => (i + 2 === line ? bad : `${i + 1},10.00,PAID,R${i + 1},`))].join(
    "\n",
  );

async function refusal(file: string | Buffer) {
  const { outcome } = await readAll(file);
  if (outcome.kind !== "invalid") throw new Error(`expected the file to be refused, got ${outcome.kind}`);
  return outcome;
}

describe("readPartnerBookFile refuses, naming the line and the column", () => {
  it.each([
    ["a malformed decimal", "5,12.3.4,PAID,,", "balance", /decimal amount like 1234.50/],
    ["three decimals", "5,12.345,PAID,,", "balance", /at most 2 decimals/],
    ["a negative balance", "5,-12.00,PAID,,", "balance", /negative/],
    ["a thousands separator", '5,"1,234.50",PAID,,', "balance", /thousands separators/],
    ["a balance at the money limit", "5,100000000000.00,PAID,,", "balance", /below 100000000000/],
    ["a missing balance", "5,,PAID,,", "balance", /required/],
    ["an unknown status", "5,12.00,SETTLED,,", "status", /UNPAID, PARTIAL or PAID/],
    ["a status with a non-ASCII letter", "5,12.00,paıd,,", "status", /UNPAID, PARTIAL or PAID/],
    ["debtor id 0", "0,12.00,PAID,,", "debtor_id", /positive whole number/],
    ["a debtor id above INT32", "2147483648,12.00,PAID,,", "debtor_id", /at most 2147483647/],
    ["a debtor id with leading zeros", "005,12.00,PAID,,", "debtor_id", /leading zeros/],
    ["a decimal debtor id", "5.0,12.00,PAID,,", "debtor_id", /positive whole number/],
    ["a reference of 65 characters", `5,12.00,PAID,${"😀".repeat(65)},`, "reference", /at most 64 characters, has 65/],
    ["an as_of that is no calendar date", "5,12.00,PAID,,2026-02-29", "as_of", /not a real calendar date/],
    ["an as_of in another format", "5,12.00,PAID,,29/01/2026", "as_of", /YYYY-MM-DD/],
  ])("when a row has %s, then that line and column are named", async (_, bad, column, reason) => {
    const outcome = await refusal(fileWith(6, bad));
    expect(outcome.errors).toEqual([{ line: 6, column, reason: expect.stringMatching(reason) }]);
    expect(outcome.totalErrors).toBe(1);
  });

  it("when a reference has exactly 64 characters, then it is accepted", async () => {
    const { outcome, rows } = await readAll(fileWith(6, `5,12.00,PAID,${"😀".repeat(64)},`));
    expect(outcome.kind).toBe("valid");
    expect(rows[4]?.reference).toBe("😀".repeat(64));
  });

  it("when the ';' file uses a decimal comma, then the separator is named as the problem", async () => {
    const outcome = await refusal("debtor_id;balance;status\n1;12,50;PAID\n");
    expect(outcome.errors).toEqual([
      { line: 2, column: "balance", reason: expect.stringMatching(/"\." as the decimal/) },
    ]);
  });

  it("when a debtor id appears twice, then the later line is named with both lines in the reason", async () => {
    const outcome = await refusal(`${fileWith(7, "3,1.00,PAID,,")}\n3,2.00,PAID,,`);
    expect(outcome.errors).toEqual([
      { line: 7, column: "debtor_id", reason: "debtor id 3 appears twice, on lines 4 and 7" },
      { line: 10, column: "debtor_id", reason: "debtor id 3 appears twice, on lines 4 and 10" },
    ]);
  });

  it("when a row has more or fewer fields than the header, then the line is named", async () => {
    const outcome = await refusal(fileWith(4, "3,1.00,PAID"));
    expect(outcome.errors).toEqual([{ line: 4, column: null, reason: "has 3 fields, the header has 5" }]);
  });

  it("when bytes on line 7 are not UTF-8, then line 7 and the column holding them are named", async () => {
    const [before, after] = fileWith(7, "6,10.00,PAID,M@LLER,").split("@");
    const latin1 = Buffer.concat([Buffer.from(before ?? ""), Buffer.from([0xfc]), Buffer.from(after ?? "")]);
    const outcome = await refusal(latin1);
    expect(outcome.errors).toEqual([{ line: 7, column: "reference", reason: expect.stringMatching(/not UTF-8/) }]);
  });

  it("when an invalid byte sits in a multi-line field, then its own physical line is named", async () => {
    const text = Buffer.from('debtor_id,balance,status,reference\n1,1.00,PAID,"first\nsecond @"\n2,1.00,PAID,x\n');
    const at = text.indexOf("@");
    const bytes = Buffer.concat([text.subarray(0, at), Buffer.from([0xe2, 0x28]), text.subarray(at + 1)]);
    expect(errorPlaces(await refusal(bytes))).toEqual(["3:reference"]);
  });

  it("when a multi-byte character is cut between chunks, then it is still valid UTF-8", async () => {
    const bytes = Buffer.from("debtor_id,balance,status,reference\n1,1.00,PAID,€😀\n");
    const at = bytes.indexOf(0xe2) + 1;
    const { outcome, rows } = await readAll([
      bytes.subarray(0, at),
      bytes.subarray(at, at + 3),
      bytes.subarray(at + 3),
    ]);
    expect(outcome.kind).toBe("valid");
    expect(rows[0]?.reference).toBe("€😀");
  });

  it("when the file ends inside a multi-byte character, then its last line is named", async () => {
    const bytes = Buffer.concat([
      Buffer.from("debtor_id,balance,status,reference\n1,1.00,PAID,ok\n2,1.00,PAID,x"),
      Buffer.from([0xf0, 0x9f]),
    ]);
    expect(errorPlaces(await refusal(bytes))).toEqual(["3:reference"]);
  });

  it("when the file is UTF-16, then it is refused as such on line 1", async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("debtor_id,balance,status\n", "utf16le")]);
    expect((await refusal(bytes)).errors).toEqual([{ line: 1, column: null, reason: expect.stringMatching(/UTF-16/) }]);
  });
});

describe("readPartnerBookFile refuses a file whose header or shape is wrong", () => {
  it.each([
    ["an unknown column", "debtor_id,balance,status,amount", "1:amount", /not a known column/],
    ["a missing required column", "debtor_id,balance,reference", "1:status", /required column is missing/],
    [
      "a column named twice",
      "debtor_id,Balance,status,balance",
      "1:balance",
      /twice in the header \(columns 2 and 4\)/,
    ],
    ["an empty column name", "debtor_id,balance,status,", "1:-", /column 4 of the header has no name/],
    ["no header at all", "1,10.00,PAID", "1:-", /first line must be the header row/],
  ])("when the header has %s, then line 1 and the column are named", async (_, header, place, reason) => {
    const outcome = await refusal(`${header}\n2,10.00,PAID,x\n`);
    expect(errorPlaces(outcome)[0]).toBe(place);
    expect(outcome.errors[0]?.reason).toMatch(reason);
  });

  it.each([
    ["no bytes", ""],
    ["only a BOM", "\ufeff"],
    ["only blank lines", "\n\r\n\n"],
  ])("when the file has %s, then it is refused as empty on line 1", async (_, file) => {
    expect((await refusal(file)).errors).toEqual([{ line: 1, column: null, reason: expect.stringMatching(/empty/) }]);
  });

  it("when the file has a header and no rows, then it is refused, naming the line where rows should start", async () => {
    expect((await refusal(`${HEADER}\r\n`)).errors).toEqual([
      { line: 2, column: null, reason: "the file has a header row but no data rows" },
    ]);
  });

  it.each([
    ["a quote never closed", '5,1.00,PAID,"open,', /never closed/],
    ["text after a closing quote", '5,1.00,PAID,"ab"c,', /closing quote is followed/],
    ["a quote inside an unquoted field", '5,1.00,PAID,ab"c,', /quote \("\) inside an unquoted field/],
  ])("when a row has %s, then its line is named and checking stops there", async (_, bad, reason) => {
    const outcome = await refusal(fileWith(5, bad).replace("7,10.00", "7,-10.00"));
    expect(outcome.errors).toEqual([{ line: 5, column: "reference", reason: expect.stringMatching(reason) }]);
  });

  it("when an unclosed quote swallows a large rest of the file, then it is refused without holding the rest", async () => {
    const rest = "9,1.00,PAID,filler,\n".repeat(20_000);
    const outcome = await refusal(`${HEADER}\n1,1.00,PAID,ok,\n2,1.00,PAID,"open,\n${rest}`);
    expect(outcome.errors).toEqual([
      { line: 3, column: "reference", reason: expect.stringMatching(/longer than 65536 bytes/) },
    ]);
  });

  it("when more than 100 errors are found, then the first 100 are listed by line and all are counted", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `${i + 1},1.000,PAID,,`);
    const outcome = await refusal([HEADER, ...rows].join("\n"));
    expect(outcome.totalErrors).toBe(250);
    expect(outcome.errors.map((error) => error.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    expect(outcome.rows).toBe(250);
  });

  it("when the file grows past maxBytes, then reading stops with too-large and the source is not read further", async () => {
    let pulled = 0;
    async function* endless() {
      yield Buffer.from(`${HEADER}\n`);
      for (let id = 1; ; id += 1) {
        pulled += 1;
        yield Buffer.from(`${id},1.00,PAID,,\n`.repeat(100));
      }
    }
    const reader = readPartnerBookFile(endless(), { maxBytes: 64 * 1024 });
    let step = await reader.next();
    while (!step.done) step = await reader.next();
    expect(step.value).toMatchObject({ kind: "too-large", maxBytes: 64 * 1024 });
    expect(step.value.kind === "too-large" && step.value.bytesRead).toBeGreaterThan(64 * 1024);
    // Chunks are at least 1,400 bytes: the one that crossed the limit is the last one pulled.
    expect(pulled).toBeLessThanOrEqual(Math.ceil((64 * 1024) / 1_400));
  });

  it("when the file is larger than maxBytes even before its header ends, then it is too-large", async () => {
    const { outcome } = await readAll(`${"x".repeat(100)}\n`, { maxBytes: 50 });
    expect(outcome).toEqual({ kind: "too-large", bytesRead: 101, maxBytes: 50 });
  });

  it("when the file is exactly maxBytes long, then it is read", async () => {
    const file = fileWith(99, "");
    expect((await readAll(file, { maxBytes: Buffer.byteLength(file) })).outcome.kind).toBe("valid");
  });
});
