import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NO_AWS, runCommand } from "../support/run-command";

// Every count and size flag of `pnpm cli` has an upper bound; one past it is refused before
// anything is opened: exit code 2, one line on stderr naming the flag and its range, no output,
// no database file. (`generate-test-debtors --count 5000001` is covered by its own CLI spec.)
describe("pnpm cli limits", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "smartrecover-cli-limits-"));
  const env = {
    ...NO_AWS,
    DATA_DIR: dataDir,
    RISK_DATABASE_URL: `file:${join(dataDir, "risk.db")}`,
    PARTNER_SYNC_DATABASE_URL: `file:${join(dataDir, "partner-sync.db")}`,
    LOG_LEVEL: "info",
  };

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.concurrent.each([
    [["consume", "--concurrency", "65"], "--concurrency must be between 1 and 64, got 65"],
    [["consume", "--batch-size", "11"], "--batch-size must be between 1 and 10, got 11"],
    [["process-debtors", "--batch-size", "100001"], "--batch-size must be between 1 and 100000, got 100001"],
    [["process-debtors", "--top-k", "10001"], "--top-k must be between 1 and 10000, got 10001"],
    [["demo", "--count", "1000001"], "--count must be between 1 and 1000000, got 1000001"],
    [["dlq", "list", "--limit", "10001"], "--limit must be between 1 and 10000, got 10001"],
    [["dlq", "redrive", "--limit", "1000001"], "--limit must be between 1 and 1000000, got 1000001"],
    [["queues-setup", "--max-receive-count", "1001"], "--max-receive-count must be between 1 and 1000, got 1001"],
    [["reconciliation-report", "--max-age-days", "100001"], "--max-age-days must be between 0 and 100000, got 100001"],
  ])(
    "when `pnpm cli %j` passes a limit, then it exits 2 with one line naming the limit and touches nothing",
    async (args, message) => {
      const result = await runCommand([process.execPath, "--import", "tsx", "apps/cli/src/main.ts", ...args], env);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain(message);
      expect(readdirSync(dataDir)).toEqual([]);
    },
  );
});
