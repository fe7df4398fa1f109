import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageApplier } from "../src/reconciliation/message-applier";
import { makeMessage, SEED } from "./support/fixtures";
import { openTestService } from "./support/test-service";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

describe("pnpm cli reconciliation-report", () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = createTestDatabase("sqlite", "report-cli");
    const sync = await openTestService(testDb.url);
    const applier = createMessageApplier(sync.db, {
      partnerName: "simulated-partner",
      tolerancePercent: 1,
      simulatorSeed: SEED,
      missingProbability: 1,
    });
    await applier.applyBatch([1, 2, 3].map((debtorId) => makeMessage({ debtor_id: debtorId, debt_amount: "10.50" })));
    await sync.close();
  });

  afterAll(async () => {
    await testDb?.drop();
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", "reconciliation-report", ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, PARTNER_SYNC_DATABASE_URL: testDb.url, LOG_LEVEL: "silent" },
      encoding: "utf8",
    });

  it("when run with --format csv, then it prints a header and one row per discrepancy", () => {
    const result = cli("--format", "csv");
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^\d+,1,simulated-partner,MISSING_AT_PARTNER,OPEN,10\.50,,/);
  });

  it("when run with filters and the default format, then it prints JSON with the summary and matching rows", () => {
    const result = cli("--status", "OPEN", "--type", "STATUS_MISMATCH");
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.summary.discrepancies.by_type.MISSING_AT_PARTNER).toBe(3);
    expect(report.discrepancies).toEqual([]);
  });

  it("when a flag is invalid, then it prints one line and exits with code 2", () => {
    for (const args of [
      ["--format", "xml"],
      ["--status", "CLOSED"],
      ["--min-age-days", "3", "--max-age-days", "1"],
    ]) {
      const result = cli(...args);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
