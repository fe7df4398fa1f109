// process-debtors as users run it (its own process, --batch-size 1000): SQLite at several sizes,
// MariaDB at one. Each run starts from the same freshly generated data.
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { dropMysqlDatabase } from "@smartrecover/db-kit";
import {
  type BenchSection,
  type BenchSettings,
  fixed,
  type GoalCheck,
  int,
  log,
  markdownTable,
  median,
  runCli,
  spread,
  withTempDir,
} from "./bench-kit";

interface ProcessSummary {
  summary: {
    total_debtors_successfully_processed: number;
    processing_time_seconds: number;
    messages_queued: number;
  };
}

interface Measured {
  database: string;
  count: number;
  seconds: number[];
  /** Wall time of the whole process, to compare with the dry run's. */
  wallSeconds: number[];
  rss: number[];
  dryRunSeconds: number[];
  queued: number;
}

const GOAL_SQLITE_RATE = 20_000;
const GOAL_MYSQL_RATE = 5_000;
const GOAL_MILLION_RSS_MB = 600;

function generate(url: string, count: number): void {
  runCli(["generate-test-debtors", "--count", String(count), "--seed", "42", "--clear", "--yes", "--json"], {
    RISK_DATABASE_URL: url,
  });
}

/** One dry run (the baseline: a whole process that streams every debtor and builds the heap) and one run. */
function measure(url: string, into: Measured, run: number): void {
  into.dryRunSeconds.push(runCli(["process-debtors", "--dry-run", "--json"], { RISK_DATABASE_URL: url }).wallSeconds);
  const result = runCli<ProcessSummary>(["process-debtors", "--batch-size", "1000", "--json"], {
    RISK_DATABASE_URL: url,
  });
  const { summary } = result.output;
  if (summary.total_debtors_successfully_processed !== into.count) {
    throw new Error(`processed ${summary.total_debtors_successfully_processed} of ${into.count}`);
  }
  into.seconds.push(summary.processing_time_seconds);
  into.wallSeconds.push(result.wallSeconds);
  into.queued = summary.messages_queued;
  if (result.peakRssMb !== null) into.rss.push(result.peakRssMb);
  log(
    `${into.database} ${int(into.count)} run ${run + 1}: ${int(into.count / summary.processing_time_seconds)} debtors/s, ${result.peakRssMb} MB`,
  );
}

const fresh = (database: string, count: number): Measured => ({
  database,
  count,
  seconds: [],
  wallSeconds: [],
  rss: [],
  dryRunSeconds: [],
  queued: 0,
});

async function sqliteRuns(settings: BenchSettings): Promise<Measured[]> {
  return withTempDir("processing", async (dir) => {
    const results: Measured[] = [];
    for (const count of settings.processCounts) {
      // Generated once, copied before each run: every run works on identical files.
      const template = join(dir, `template-${count}.db`);
      generate(`file:${template}`, count);
      const file = join(dir, "run.db");
      const measured = fresh("SQLite", count);
      for (let run = 0; run < settings.runs; run += 1) {
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
        copyFileSync(template, file);
        if (existsSync(`${template}-wal`)) copyFileSync(`${template}-wal`, `${file}-wal`);
        measure(`file:${file}`, measured, run);
      }
      results.push(measured);
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${template}${suffix}`, { force: true });
    }
    return results;
  });
}

async function mysqlRuns(settings: BenchSettings): Promise<Measured> {
  const url = `${settings.mysqlServer}/sr_bench_processing`;
  const measured = fresh("MariaDB", settings.count);
  try {
    for (let run = 0; run < settings.runs; run += 1) {
      await dropMysqlDatabase(url);
      generate(url, settings.count);
      measure(url, measured, run);
    }
  } finally {
    await dropMysqlDatabase(url);
  }
  return measured;
}

export async function processingBench(settings: BenchSettings): Promise<BenchSection> {
  const sqlite = await sqliteRuns(settings);
  const mysql = await mysqlRuns(settings);
  const rate = (m: Measured) => m.count / median(m.seconds);
  const rows = [...sqlite, mysql].map((m) => [
    m.database,
    int(m.count),
    int(rate(m)),
    fixed(median(m.seconds)),
    spread(m.seconds, (v) => fixed(v)),
    m.rss.length ? `${median(m.rss)} MB` : "n/a",
    int(m.queued),
    `${fixed(median(m.wallSeconds) / median(m.dryRunSeconds))}×`,
  ]);

  const base = sqlite[0] as Measured;
  const scalingRows = sqlite.map((m) => [
    int(m.count),
    fixed(median(m.seconds)),
    `${fixed(median(m.seconds) / median(base.seconds), 1)}×`,
    `${fixed(m.count / base.count, 1)}×`,
    `${fixed(median(m.seconds) / m.count / (median(base.seconds) / base.count))}×`,
  ]);

  const goals: GoalCheck[] = [
    ...sqlite.map((m) => ({
      goal: `process-debtors ${int(m.count)} on SQLite ≥ ${int(GOAL_SQLITE_RATE)} debtors/s`,
      measured: `${int(rate(m))} debtors/s`,
      met: rate(m) >= GOAL_SQLITE_RATE,
    })),
    {
      goal: `process-debtors ${int(mysql.count)} on MariaDB ≥ ${int(GOAL_MYSQL_RATE)} debtors/s`,
      measured: `${int(rate(mysql))} debtors/s`,
      met: rate(mysql) >= GOAL_MYSQL_RATE,
    },
  ];
  const million = sqlite.find((m) => m.count === 1_000_000);
  if (million?.rss.length) {
    goals.push({
      goal: `1,000,000 debtors processed with peak RSS ≤ ${GOAL_MILLION_RSS_MB} MB`,
      measured: `${median(million.rss)} MB`,
      met: median(million.rss) <= GOAL_MILLION_RSS_MB,
    });
  }
  return {
    title: "process-debtors",
    body: [
      `Generated debtors (seed 42, balanced), \`process-debtors --batch-size 1000\` as its own process, median of ${settings.runs} runs;`,
      "every SQLite run works on a fresh copy of the same generated file, every MariaDB run on a freshly generated database.",
      "Seconds are the command's own `processing_time_seconds` (streamed read + heap + every batch: re-score, save scores,",
      "write outbox rows, commit); peak RSS is the whole process's. The baseline is a dry run over the same data in the same",
      'session: a whole process that starts, streams every debtor and builds the heap, writing nothing; "vs dry run" compares',
      "the two processes' wall times.",
      "",
      markdownTable(
        ["database", "debtors", "debtors/s", "seconds", "range (s)", "peak RSS", "outbox rows", "vs dry run"],
        rows,
      ),
      "",
      "Scaling on SQLite (time per debtor relative to the smallest size; 1.00× is linear):",
      "",
      markdownTable(["debtors", "seconds", "time ratio", "size ratio", "per-debtor cost"], scalingRows),
    ].join("\n"),
    goals,
  };
}
