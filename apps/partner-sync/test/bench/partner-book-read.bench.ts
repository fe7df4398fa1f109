// Partner book reader throughput, without a database: rows/s and peak RSS of reading a generated
// valid book, each run in a fresh process. Rows per CPU-second as well, which a busy machine
// disturbs less than the wall clock.
//   node --import tsx apps/partner-sync/test/bench/partner-book-read.bench.ts [rows,rows,…] [runs]
// Defaults: 100,000 and 1,000,000 rows, 3 runs each; prints the medians.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeGeneratedBook } from "../partner-books/generated-book-file";

const sizes = (process.argv[2] ?? "100000,1000000").split(",").map(Number);
const runs = Number(process.argv[3] ?? 3);
const probe = fileURLToPath(new URL("../partner-books/partner-book-read-probe.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "partner-book-bench-"));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

try {
  for (const rows of sizes) {
    const path = join(dir, `book-${rows}.csv`);
    writeGeneratedBook(path, rows);
    const results: { seconds: number; rowsPerSecond: number; rowsPerCpuSecond: number; peakRssMb: number }[] = [];
    for (let run = 0; run < runs; run += 1) {
      const stdout = execFileSync(process.execPath, ["--import", "tsx", probe, path], { encoding: "utf8" });
      results.push(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}"));
    }
    console.log(
      JSON.stringify({
        rows,
        megabytes: Math.round(statSync(path).size / 1e5) / 10,
        runs,
        medianSeconds: Math.round(median(results.map((r) => r.seconds)) * 100) / 100,
        medianRowsPerSecond: median(results.map((r) => r.rowsPerSecond)),
        medianRowsPerCpuSecond: median(results.map((r) => r.rowsPerCpuSecond)),
        medianPeakRssMb: Math.round(median(results.map((r) => r.peakRssMb))),
        each: results.map((r) => ({ s: Math.round(r.seconds * 100) / 100, rssMb: Math.round(r.peakRssMb) })),
      }),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
