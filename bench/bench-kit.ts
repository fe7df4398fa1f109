import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface CliRun<T> {
  output: T;
  wallSeconds: number;
  /** Peak resident set size of the child, from GNU time when available. */
  peakRssMb: number | null;
}

/** Runs `pnpm cli …` as a separate process, as a user would, and parses its --json output. */
export function runCli<T>(args: string[], env: Record<string, string>): CliRun<T> {
  const started = performance.now();
  const cli = ["node", "--import", "tsx", "packages/cli/src/main.ts", ...args];
  const useTime = spawnSync("/usr/bin/time", ["--version"]).status === 0;
  const command = useTime ? ["/usr/bin/time", "-f", "PEAK_RSS_KB=%M", ...cli] : cli;
  const child = spawnSync(command[0] as string, command.slice(1), {
    cwd: repoRoot,
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`pnpm cli ${args.join(" ")} failed (${child.status}): ${child.stderr}`);
  const rss = /PEAK_RSS_KB=(\d+)/.exec(child.stderr);
  return {
    output: JSON.parse(child.stdout) as T,
    wallSeconds,
    peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : null,
  };
}

export interface BenchSection {
  title: string;
  /** Markdown: a table and notes. */
  body: string;
}

export function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
