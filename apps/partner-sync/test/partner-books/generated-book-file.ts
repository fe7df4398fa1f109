import { closeSync, openSync, writeSync } from "node:fs";

const STATUSES = ["UNPAID", "PARTIAL", "PAID"];

/** Writes a valid book of `rows` rows (debtor ids 1…rows, all columns) without holding it in memory. */
export function writeGeneratedBook(path: string, rows: number): void {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, "debtor_id,balance,status,reference,as_of\n");
    const perWrite = 10_000;
    for (let from = 1; from <= rows; from += perWrite) {
      let text = "";
      for (let id = from; id < Math.min(from + perWrite, rows + 1); id += 1) {
        const cents = (id * 7919) % 100_000_000;
        text += `${id},${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")},${STATUSES[id % 3]},ACC-${id},2026-11-30\n`;
      }
      writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
}
