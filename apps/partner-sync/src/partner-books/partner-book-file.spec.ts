import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { errorPlaces, readAll } from "../../test/partner-books/read-all";
import { consumePartnerBookFile, readPartnerBookFile } from "./partner-book-file";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const rowsOf = (rows: { debtorId: number; balanceCents: number; status: string }[]) =>
  rows.map(({ debtorId, balanceCents, status }) => [debtorId, balanceCents, status]);

describe("readPartnerBookFile, files it accepts", () => {
  it("when the file is in the written format, then every row comes back with its line and values", async () => {
    const file = "debtor_id,balance,status,reference,as_of\n17,1234.50,UNPAID,ACC-17,2026-11-30\n4,0.00,PAID,,\n";
    const { outcome, rows } = await readAll(file);
    expect(rows).toEqual([
      { line: 2, debtorId: 17, balanceCents: 123_450, status: "UNPAID", reference: "ACC-17", asOf: "2026-11-30" },
      { line: 3, debtorId: 4, balanceCents: 0, status: "PAID", reference: null, asOf: null },
    ]);
    expect(outcome).toMatchObject({ kind: "valid", rows: 2, delimiter: ",", bytesRead: Buffer.byteLength(file) });
  });

  it("when the file starts with a UTF-8 BOM, then it is read alike and the hash covers the BOM as received", async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from("debtor_id,balance,status\n1,2.00,PAID\n"),
    ]);
    const { outcome, rows } = await readAll([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)]);
    expect(rowsOf(rows)).toEqual([[1, 200, "PAID"]]);
    expect(outcome).toMatchObject({ kind: "valid", sha256: sha256(bytes) });
  });

  it("when the header uses ';', then ';' separates fields and a ',' in a value is just a character", async () => {
    const { outcome, rows } = await readAll("debtor_id;balance;status;reference\n1;10.5;paid;Smith, J.\n");
    expect(outcome).toMatchObject({ kind: "valid", delimiter: ";" });
    expect(rows[0]).toMatchObject({ debtorId: 1, balanceCents: 1050, status: "PAID", reference: "Smith, J." });
  });

  it("when columns come in another order with names in mixed case, then values are taken by name", async () => {
    const { rows } = await readAll(" As_Of ,STATUS,Reference,Balance,DEBTOR_ID\n2026-01-02,Partial,R9,7,9\n");
    expect(rows).toEqual([
      { line: 2, debtorId: 9, balanceCents: 700, status: "PARTIAL", reference: "R9", asOf: "2026-01-02" },
    ]);
  });

  it("when header names are quoted, then they are matched like unquoted ones", async () => {
    const { outcome, rows } = await readAll('"debtor_id","BALANCE","status"\r\n"12","3.10","paid"\r\n');
    expect(outcome.kind).toBe("valid");
    expect(rowsOf(rows)).toEqual([[12, 310, "PAID"]]);
  });

  it("when statuses are written in any case, then they come back in upper case", async () => {
    const { rows } = await readAll("debtor_id,balance,status\n1,1,unpaid\n2,1,Partial\n3,1,pAiD\n");
    expect(rows.map((row) => row.status)).toEqual(["UNPAID", "PARTIAL", "PAID"]);
  });

  it("when quoted fields hold delimiters, quotes and line breaks, then values are exact and lines stay physical", async () => {
    const file = [
      "debtor_id,balance,status,reference",
      '1,"1.00",PAID,"a, ""quoted"" name"',
      '2,2.00,PAID,"line one',
      "line two\r",
      'line three"',
      "3,3.00,PAID,plain",
      "4,4.000,PAID,x",
    ].join("\n");
    const { outcome, rows } = await readAll(file, { batchSize: 1 });
    expect(errorPlaces(outcome)).toEqual(["7:balance"]);
    const valid = await readAll(file.replace("4.000", "4.00"));
    expect(valid.rows.map((row) => [row.line, row.reference])).toEqual([
      [2, 'a, "quoted" name'],
      [3, "line one\nline two\r\nline three"],
      [6, "plain"],
      [7, "x"],
    ]);
    expect(rows).toHaveLength(3);
  });

  it("when a field after a multi-line field is wrong, then the line it starts on is named", async () => {
    const file = 'debtor_id,reference,balance,status\n1,"two\nlines",oops,PAID\n';
    expect(errorPlaces((await readAll(file)).outcome)).toEqual(["3:balance"]);
  });

  it("when lines end in CRLF, LF or CR, mixed, with blank lines, then each counts as one line", async () => {
    const file = "debtor_id,balance,status\r\n1,1,PAID\n\r\n2,1,PAID\r3,1,PAID\n\n4,x,PAID\r\n";
    const { outcome } = await readAll(file);
    expect(errorPlaces(outcome)).toEqual(["7:balance"]);
    const valid = await readAll(file.replace("4,x", "4,1"));
    expect(valid.rows.map((row) => row.line)).toEqual([2, 4, 5, 7]);
  });

  it("when rows give different as_of dates, then the latest is the book's and the difference is flagged", async () => {
    const mixed = await readAll(
      "debtor_id,balance,status,as_of\n1,1,PAID,2026-01-31\n2,1,PAID,2026-03-01\n3,1,PAID,\n",
    );
    expect(mixed.outcome).toMatchObject({ kind: "valid", asOf: "2026-03-01", asOfVaries: true });
    const same = await readAll("debtor_id,balance,status,as_of\n1,1,PAID,2026-01-31\n2,1,PAID,2026-01-31\n");
    expect(same.outcome).toMatchObject({ asOf: "2026-01-31", asOfVaries: false });
    const none = await readAll("debtor_id,balance,status\n1,1,PAID\n");
    expect(none.outcome).toMatchObject({ asOf: null, asOfVaries: false });
  });
});

describe("readPartnerBookFile, streaming", () => {
  const fiveRows = `debtor_id,balance,status\n${[1, 2, 3, 4, 5].map((id) => `${id},1.00,PAID`).join("\n")}\n`;

  it("when rows outnumber the batch size, then they arrive in batches of that size, the last one shorter", async () => {
    const { batches } = await readAll(fiveRows, { batchSize: 2 });
    expect(batches.map((batch) => batch.map((row) => row.debtorId))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("when an error is found, then no batch is yielded after it", async () => {
    const { outcome, batches } = await readAll(fiveRows.replace("4,1.00", "4,-1.00"), { batchSize: 2 });
    expect(outcome.kind).toBe("invalid");
    expect(batches.map((batch) => batch.map((row) => row.debtorId))).toEqual([[1, 2]]);
  });

  it("when progress is asked for, then it reports growing byte counts up to the size, with the total given", async () => {
    const bytes = Buffer.from(fiveRows);
    const seen: { bytesRead: number; totalBytes: number | null }[] = [];
    const chunks = [bytes.subarray(0, 10), bytes.subarray(10, 40), bytes.subarray(40)];
    await readAll(chunks, { totalBytes: bytes.length, onProgress: (progress) => seen.push(progress) });
    expect(seen).toEqual([
      { bytesRead: 10, totalBytes: bytes.length },
      { bytesRead: 40, totalBytes: bytes.length },
      { bytesRead: bytes.length, totalBytes: bytes.length },
    ]);
  });

  it("when the file comes in many chunks, then the SHA-256 is node:crypto's hash of all its bytes", async () => {
    const bytes = Buffer.from(`debtor_id,balance,status,reference\n1,1.00,PAID,Müller €\n2,2.00,UNPAID,Šťastný\n`);
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    const { outcome, rows } = await readAll(chunks);
    expect(outcome).toMatchObject({ kind: "valid", sha256: sha256(bytes), bytesRead: bytes.length });
    expect(rows.map((row) => row.reference)).toEqual(["Müller €", "Šťastný"]);
  });

  it("when the caller stops reading early, then the source is closed", async () => {
    let closed = false;
    async function* source() {
      try {
        yield Buffer.from("debtor_id,balance,status\n");
        for (let id = 1; ; id += 1) yield Buffer.from(`${id},1.00,PAID\n`);
      } finally {
        closed = true;
      }
    }
    for await (const batch of readPartnerBookFile(source(), { batchSize: 10 })) {
      expect(batch).toHaveLength(10);
      break;
    }
    // Closing waits for the source's pending read to settle, so it completes just after.
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it("when storing a batch fails, then reading stops, the source is closed and the error is the caller's", async () => {
    let closed = false;
    async function* source() {
      try {
        yield Buffer.from(fiveRows);
        yield Buffer.from("6,1.00,PAID\n");
      } finally {
        closed = true;
      }
    }
    const failure = new Error("staging table is gone");
    const reading = consumePartnerBookFile(
      source(),
      () => {
        throw failure;
      },
      { batchSize: 2 },
    );
    await expect(reading).rejects.toBe(failure);
    expect(closed).toBe(true);
  });

  it("when the source fails while being read, then the reader fails with the source's error", async () => {
    const failure = new Error("connection reset");
    async function* source() {
      yield Buffer.from("debtor_id,balance,status\n1,1.00,PAID\n");
      throw failure;
    }
    await expect(readAll(source())).rejects.toBe(failure);
  });

  it("when the source yields text instead of bytes, then reading fails loudly", async () => {
    const source = ["debtor_id,balance,status\n"] as unknown as Buffer[];
    await expect(readAll(source)).rejects.toThrow(/bytes, not text/);
  });
});
