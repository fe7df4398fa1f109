// Reads one partner book file the way an import would, keeping only counters, and prints what it
// cost as one JSON line:  node [--expose-gc] --import tsx partner-book-read-probe.ts FILE
// With --expose-gc it also samples the live memory (heap + buffers, after a full collection)
// every 100,000 rows and reports the largest growth over the start, in MiB.
import { createReadStream, statSync } from "node:fs";
import { readPartnerBookFile } from "../../src/partner-books/partner-book-file";

const path = process.argv[2];
if (!path) throw new Error("usage: partner-book-read-probe.ts FILE");
const collect = (globalThis as { gc?: () => void }).gc;
const live = () => {
  collect?.();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};

const baseline = live();
let liveMax = baseline;
let yielded = 0;
let progressCalls = 0;
const started = performance.now();
const cpuStarted = process.cpuUsage();
const reader = readPartnerBookFile(createReadStream(path), {
  maxBytes: Number.POSITIVE_INFINITY,
  totalBytes: statSync(path).size,
  onProgress: () => {
    progressCalls += 1;
  },
});
let step = await reader.next();
while (!step.done) {
  const before = yielded;
  yielded += step.value.length;
  if (collect && Math.floor(yielded / 100_000) > Math.floor(before / 100_000)) liveMax = Math.max(liveMax, live());
  step = await reader.next();
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
// CPU time too: on a shared machine the wall clock also counts other processes' turns.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
if (collect) liveMax = Math.max(liveMax, live());
const outcome = step.value;
console.log(
  JSON.stringify({
    kind: outcome.kind,
    rows: outcome.kind === "too-large" ? 0 : outcome.rows,
    yielded,
    sha256: outcome.kind === "valid" ? outcome.sha256 : null,
    progressCalls,
    seconds,
    rowsPerSecond: Math.round(yielded / seconds),
    cpuSeconds,
    rowsPerCpuSecond: Math.round(yielded / cpuSeconds),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    liveGrowthMb: collect ? (liveMax - baseline) / 1024 / 1024 : null,
  }),
);
