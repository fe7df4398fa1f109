import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dropMysqlDatabase, TEST_MYSQL_SERVER } from "@smartrecover/db-kit";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** What one `pnpm bench` invocation measures; every suite reads it instead of the environment. */
export interface BenchSettings {
  /** Repetitions per measurement; tables show medians. */
  runs: number;
  /** Debtors for the suites that use one size (queue, pipeline, HTTP, MariaDB processing). */
  count: number;
  /** Sizes for the SQLite generate and process-debtors scaling tables. */
  generateCounts: number[];
  processCounts: number[];
  /** Seconds of load per HTTP scenario. */
  httpSeconds: number;
  mysqlServer: string;
  quick: boolean;
  /** `--large`: the review-queue and worklist suites also measure 1,000,000 rows (minutes of seeding). */
  large: boolean;
}

const counts = (value: string | undefined, fallback: number[]) =>
  value ? value.split(",").map((part) => Number(part.trim())) : fallback;

export function benchSettings(argv: readonly string[], env: NodeJS.ProcessEnv): BenchSettings {
  const quick = argv.includes("--quick");
  const count = Number(env.BENCH_COUNT ?? (quick ? 10_000 : 30_000));
  return {
    runs: Number(env.BENCH_RUNS ?? (quick ? 1 : 3)),
    count,
    generateCounts: counts(env.BENCH_GENERATE_COUNTS, quick ? [count] : [30_000, 100_000]),
    processCounts: counts(env.BENCH_PROCESS_COUNTS, quick ? [count] : [30_000, 100_000, 1_000_000]),
    httpSeconds: Number(env.BENCH_HTTP_SECONDS ?? (quick ? 3 : 5)),
    mysqlServer: TEST_MYSQL_SERVER.replace(/\/+$/, ""),
    quick,
    large: argv.includes("--large") || env.BENCH_LARGE === "1",
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const int = (value: number) => Math.round(value).toLocaleString("en-US");
export const fixed = (value: number, digits = 2) => value.toFixed(digits);
/** "a–b" of a series: how far the runs behind a median spread. */
export const spread = (values: readonly number[], format: (v: number) => string) =>
  values.length > 1 ? `${format(Math.min(...values))}–${format(Math.max(...values))}` : format(values[0] ?? 0);

export interface CliRun<T> {
  output: T;
  wallSeconds: number;
  /** Peak resident set size of the child, from GNU time when available. */
  peakRssMb: number | null;
  /** User + system CPU seconds of the child, from GNU time when available (wall time suffers on a shared machine). */
  cpuSeconds: number | null;
}

/** GNU time reports a child's peak memory and CPU time; without it those columns stay empty. */
export const hasGnuTime = spawnSync("/usr/bin/time", ["--version"]).status === 0;

/** Runs the compiled CLI (what `pnpm cli …` runs) as its own process, as a user would, and parses its --json output. */
export function runCli<T>(args: string[], env: Record<string, string>): CliRun<T> {
  const started = performance.now();
  const cli = [process.execPath, "dist/cli.js", ...args];
  const command = hasGnuTime ? ["/usr/bin/time", "-f", "PEAK_RSS_KB=%M CPU_SECONDS=%U+%S", ...cli] : cli;
  const child = spawnSync(command[0] as string, command.slice(1), {
    cwd: repoRoot,
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`pnpm cli ${args.join(" ")} failed (${child.status}): ${child.stderr}`);
  const rss = /PEAK_RSS_KB=(\d+)/.exec(child.stderr);
  const cpu = /CPU_SECONDS=([\d.]+)\+([\d.]+)/.exec(child.stderr);
  return {
    output: JSON.parse(child.stdout) as T,
    wallSeconds,
    peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : null,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null,
  };
}

/** A temp folder removed when `work` settles. */
export async function withTempDir<T>(label: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `smartrecover-bench-${label}-`));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A MySQL database at `url`, dropped before `work` (a leftover of a killed run) and after it settles. */
export async function withMysqlDatabase<T>(url: string, work: (url: string) => Promise<T>): Promise<T> {
  await dropMysqlDatabase(url);
  try {
    return await work(url);
  } finally {
    await dropMysqlDatabase(url);
  }
}

/** A goal from the issues, checked against a measured median. */
export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean;
}

export interface BenchSection {
  title: string;
  /** Markdown: notes and tables. */
  body: string;
  goals: GoalCheck[];
}

export function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
