import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRiskDatabase } from "../src/db/risk-database";
import { runCli } from "./cli-process";
import { rowCount } from "./service-fixtures";

describe("pnpm cli process-debtors", () => {
  let testDb: TestDatabase;
  let env: Record<string, string>;

  async function counts() {
    const db = await openRiskDatabase(testDb.url, { migrate: false });
    try {
      const [scores, runs, outbox] = await Promise.all([
        rowCount(db, "risk_scores"),
        rowCount(db, "processing_runs"),
        rowCount(db, "outbox_messages"),
      ]);
      return { scores, runs, outbox };
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    testDb = createTestDatabase("sqlite", "process_cli");
    env = { RISK_DATABASE_URL: testDb.url, SQS_ENDPOINT: "" };
    const generated = await runCli(
      ["generate-test-debtors", "--count", "500", "--seed", "11", "--no-scores", "--json"],
      env,
    );
    expect(generated.code, generated.stderr).toBe(0);
  });

  afterAll(() => testDb?.drop());

  it.each([
    [["--batch-size", "0"], /--batch-size must be between 1 and 100000/],
    [["--batch-size", "ten"], /--batch-size must be a whole number/],
    [["--threshold", "-1"], /--threshold must be a non-negative amount/],
    [["--threshold", "1.234"], /--threshold must be a non-negative amount/],
    [["--top-k", "0"], /--top-k must be between/],
    [["--frobnicate"], /unknown option '--frobnicate'/],
  ])("when given %j, then it prints one error line, exits 2 and writes nothing", async (args, message) => {
    const before = await counts();
    const result = await runCli(["process-debtors", ...args], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it("when dry-running with --json, then it prints heap_size and the top k, and writes nothing", async () => {
    const before = await counts();
    const result = await runCli(["process-debtors", "--dry-run", "--top-k", "3", "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.heap_size).toBe(500);
    expect(report.top).toHaveLength(3);
    expect(Object.keys(report.top[0]).sort()).toEqual([
      "debt_amount",
      "debtor_id",
      "name",
      "priority",
      "risk_level",
      "risk_score",
      "scored",
    ]);
    expect(await counts()).toEqual(before);
  });

  it("when processing with --json and no queue configured, then every debtor is scored and messages wait in the outbox", async () => {
    const result = await runCli(["process-debtors", "--batch-size", "64", "--threshold", "0", "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({
      total_debtors_successfully_processed: 500,
      high_priority_debtors_successfully_processed: 500,
      batches_processed: 8,
      errors_count: 0,
      messages_queued: 500,
    });
    expect(report.summary.throughput_debtors_per_second).toBeGreaterThan(0);
    expect(report.detailed_results).toHaveLength(10);
    expect(report.delivery).toMatchObject({ published: 0, pending: 500 });
    expect(report.delivery.error).toMatch(/no queue configured/);
    expect(await counts()).toEqual({ scores: 500, runs: 1, outbox: 500 });
  });
});
