import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../test/cli-process";
import { rowCount } from "../../test/service-fixtures";
import { openRiskDatabase } from "../db/risk-database";
import type { GenerationReport } from "../generator/generation-stats";

const dir = mkdtempSync(join(tmpdir(), "smartrecover-generate-cli-"));
let databases = 0;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freshDatabase(): { url: string; file: string } {
  const file = join(dir, `risk-${++databases}.db`);
  return { url: `file:${file}`, file };
}

/** Runs `pnpm cli generate-test-debtors …` as its own process, as a user would. */
function cli(args: string[], databaseUrl: string): Promise<CliResult> {
  return runCli(["generate-test-debtors", ...args], { RISK_DATABASE_URL: databaseUrl });
}

async function countRows(url: string): Promise<{ debtors: number; scores: number }> {
  const db = await openRiskDatabase(url, { migrate: false });
  try {
    return { debtors: await rowCount(db, "debtors"), scores: await rowCount(db, "risk_scores") };
  } finally {
    await db.close();
  }
}

const withoutTimings = ({ elapsed_seconds, debtors_per_second, ...rest }: GenerationReport) => rest;

describe("pnpm cli generate-test-debtors", () => {
  it("when run with --count 200 --seed 7 --json, then stdout is one JSON report and the database holds 200 debtors and 200 scores", async () => {
    const first = freshDatabase();
    const second = freshDatabase();
    const [a, b] = await Promise.all([
      cli(["--count", "200", "--seed", "7", "--json"], first.url),
      cli(["--count", "200", "--seed", "7", "--json"], second.url),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.trim().split("\n")).toHaveLength(1);
    const report = JSON.parse(a.stdout) as GenerationReport;
    expect(report).toMatchObject({ seed: 7, distribution: "balanced", debtors_created: 200, scores_computed: 200 });
    expect(Object.values(report.risk_levels).reduce((sum, level) => sum + level.count, 0)).toBe(200);
    expect(report.debt?.min).toMatch(/^\d+\.\d{2}$/);
    expect(report.top_priorities).toHaveLength(5);
    expect(await countRows(first.url)).toEqual({ debtors: 200, scores: 200 });
    // Same seed, other database: the same debtors, hence the same statistics.
    expect(withoutTimings(JSON.parse(b.stdout))).toEqual(withoutTimings(report));
  });

  it("when --clear is given without --yes and no terminal, then exit 2 with one line and nothing is deleted; with --yes the debtors are replaced", async () => {
    const target = freshDatabase();
    expect((await cli(["--count", "30", "--seed", "1", "--json"], target.url)).code).toBe(0);
    const refused = await cli(["--count", "5", "--seed", "2", "--clear", "--json"], target.url);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr.trim().split("\n")).toEqual([expect.stringMatching(/--clear .*--yes/)]);
    expect(await countRows(target.url)).toEqual({ debtors: 30, scores: 30 });

    const confirmed = await cli(["--count", "5", "--seed", "2", "--clear", "--yes", "--json"], target.url);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ cleared_debtors: 30, debtors_created: 5 });
    expect(await countRows(target.url)).toEqual({ debtors: 5, scores: 5 });
  });

  it("when no seed is given, then one is picked, reported on stderr and in the JSON", async () => {
    const target = freshDatabase();
    const run = await cli(["--count", "20", "--json", "--no-scores", "--distribution", "low-risk"], target.url);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as GenerationReport;
    expect(Number.isInteger(report.seed)).toBe(true);
    expect(run.stderr).toContain(`--seed ${report.seed}`);
    expect(report).toMatchObject({ distribution: "low-risk", debtors_created: 20, scores_computed: 0 });
    expect(await countRows(target.url)).toEqual({ debtors: 20, scores: 0 });
  });

  it("when run without --json, then a readable report goes to stdout and plain progress lines to stderr", async () => {
    const target = freshDatabase();
    const run = await cli(["--count", "300", "--seed", "1", "--distribution", "high-risk"], target.url);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Generated 300 debtors \(high-risk, seed 1\)/);
    expect(run.stdout).toMatch(/Scores computed\s+300/);
    expect(run.stdout).toMatch(/CRITICAL\s+\d+\.\d{2} %/);
    expect(run.stdout).toMatch(/Top 5 priorities/);
    expect(run.stderr).toMatch(/generate-test-debtors: 300\/300/);
  });

  it.concurrent.each([
    [["--count", "-5"], /--count must be between 1 and 5000000/],
    [["--count", "abc"], /--count must be a whole number/],
    [["--count", "5000001"], /--count must be between 1 and 5000000/],
    [["--distribution", "weird"], /--distribution must be one of balanced, high-risk, low-risk/],
    [["--seed", "1.5"], /--seed must be a whole number/],
    [["--bogus"], /unknown option '--bogus'/],
  ])("when given %j, then it exits 2 with one line on stderr and writes nothing", async (args, message) => {
    const target = freshDatabase();
    const run = await cli(args, target.url);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(existsSync(target.file)).toBe(false);
  });
});
