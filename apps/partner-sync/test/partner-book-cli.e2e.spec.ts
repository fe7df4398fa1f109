import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), "../../cli/src/main.ts");
const PARTNER = "cli-partner";

describe.each(TEST_DIALECTS)("partner-book commands on %s", (dialect) => {
  let testDb: TestDatabase;
  let dir: string;

  const cli = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, ["--import", "tsx", CLI, "partner-book", ...args], {
        env: { ...process.env, PARTNER_SYNC_DATABASE_URL: testDb.url, LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => done({ code, stdout, stderr }));
    });

  beforeAll(() => {
    testDb = createTestDatabase(dialect, "book_cli");
    dir = mkdtempSync(join(tmpdir(), "smartrecover-book-cli-"));
  });

  afterAll(async () => {
    await testDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("when a file is invalid, then exit 2 with the lines on stderr, or the 422 body under --json", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "debtor_id,balance,status\n1,1.234,PAID\n2,5.00,LOST\n");
    const plain = await cli(["import", bad, "--partner", PARTNER]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain("line 2, column balance:");
    expect(plain.stderr).toContain("line 3, column status:");
    const json = await cli(["import", bad, "--partner", PARTNER, "--json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ code: "INVALID_PARTNER_BOOK", total_errors: 2 });
  }, 60_000);

  it("when a file is imported, exported, and the export imported again, then the second is a new import of the same rows; the original again is refused", async () => {
    const book = join(dir, "book.csv");
    writeFileSync(book, "\ufeffStatus;Debtor_ID;balance;reference\r\npaid;7;10.5;A\r\nunpaid;3;0;\r\n");
    const first = await cli(["import", book, "--partner", PARTNER, "--json"]);
    expect(first.code, first.stderr).toBe(0);
    const imported = JSON.parse(first.stdout);
    expect(imported).toMatchObject({ rows: 2, state: "COMPLETE", imported_by: "system:cli" });

    const exported = join(dir, "export.csv");
    const out = await cli(["export", "--partner", PARTNER, "--output", exported]);
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(exported, "utf8")).toBe(
      "debtor_id,balance,status,reference,as_of\r\n3,0.00,UNPAID,,\r\n7,10.50,PAID,A,\r\n",
    );
    const again = await cli(["import", exported, "--partner", PARTNER, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 2, resumed: false });

    const duplicate = await cli(["import", book, "--partner", PARTNER, "--json"]);
    expect(duplicate.code).toBe(2);
    expect(JSON.parse(duplicate.stdout)).toMatchObject({
      code: "DUPLICATE_PARTNER_BOOK",
      earlier_import: { id: imported.id },
    });
  }, 60_000);
});
