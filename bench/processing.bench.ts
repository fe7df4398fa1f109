import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropMysqlDatabase, TEST_MYSQL_SERVER } from "@smartrecover/db-kit";
import { type BenchSection, markdownTable, median, runCli } from "./bench-kit";

interface ProcessSummary {
  summary: {
    total_debtors_successfully_processed: number;
    processing_time_seconds: number;
    throughput_debtors_per_second: number;
  };
}

const COUNT = Number(process.env.BENCH_COUNT ?? 30_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/**
 * process-debtors on COUNT generated debtors (seed 42, batch 1000), RUNS times per database.
 * The baseline is a dry run over the same data: it streams every debtor and builds the heap
 * but writes nothing, so the ratio shows what scoring + saving + queueing costs on top.
 */
export async function processingBench(): Promise<BenchSection> {
  const rows: Array<Array<string | number>> = [];
  const dir = mkdtempSync(join(tmpdir(), "smartrecover-bench-"));
  const targets = [
    { name: "SQLite", url: `file:${join(dir, "risk.db")}` },
    { name: "MariaDB", url: `${TEST_MYSQL_SERVER}/sr_bench_processing` },
  ];
  try {
    for (const target of targets) {
      const env = { RISK_DATABASE_URL: target.url };
      runCli(["generate-test-debtors", "--count", String(COUNT), "--seed", "42", "--clear", "--json"], env);
      const throughputs: number[] = [];
      const seconds: number[] = [];
      const rss: number[] = [];
      const dryRunSeconds: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        dryRunSeconds.push(runCli(["process-debtors", "--dry-run", "--json"], env).wallSeconds);
        const result = runCli<ProcessSummary>(["process-debtors", "--batch-size", "1000", "--json"], env);
        throughputs.push(result.output.summary.throughput_debtors_per_second);
        seconds.push(result.output.summary.processing_time_seconds);
        if (result.peakRssMb !== null) rss.push(result.peakRssMb);
        console.error(
          `  ${target.name} run ${run + 1}: ${result.output.summary.throughput_debtors_per_second} debtors/s`,
        );
      }
      rows.push([
        target.name,
        COUNT.toLocaleString("en-US"),
        Math.round(median(throughputs)).toLocaleString("en-US"),
        median(seconds).toFixed(2),
        rss.length ? `${median(rss)} MB` : "n/a",
        `${(median(seconds) / median(dryRunSeconds)).toFixed(2)}×`,
      ]);
      await dropMysqlDatabase(target.url);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: "process-debtors",
    body: [
      `Generated debtors (seed 42, balanced), \`process-debtors --batch-size 1000\`, median of ${RUNS} runs.`,
      "Processing time is the command's own `processing_time_seconds` (heap build + all batches);",
      "the ratio compares it with the wall time of a dry run (a whole process: start-up, streamed read, heap) in the same session.",
      "",
      markdownTable(["database", "debtors", "debtors/s", "seconds", "peak RSS", "vs dry run"], rows),
    ].join("\n"),
  };
}
