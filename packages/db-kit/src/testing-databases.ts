import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropMysqlDatabase } from "./migrate";

/** Base URL of the MariaDB/MySQL server tests use; CI provides one on 127.0.0.1:3306. */
export const TEST_MYSQL_SERVER = process.env.SMARTRECOVER_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

export type TestDialect = "sqlite" | "mysql";
export const TEST_DIALECTS: readonly TestDialect[] = ["sqlite", "mysql"];

export interface TestDatabase {
  url: string;
  dialect: TestDialect;
  /** Drops the MySQL database or deletes the SQLite folder. */
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named database for one test file: an SQLite file in a temp folder, or a
 * new database on the test MySQL server (created by the migrator on first use).
 */
export function createTestDatabase(dialect: TestDialect, label: string): TestDatabase {
  const suffix = `${label.replace(/[^a-z0-9]/gi, "_").slice(0, 20)}_${randomBytes(4).toString("hex")}`;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "smartrecover-test-"));
    return {
      url: `file:${join(dir, `${suffix}.db`)}`,
      dialect,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = `${TEST_MYSQL_SERVER.replace(/\/+$/, "")}/sr_test_${suffix}`;
  return { url, dialect, drop: () => dropMysqlDatabase(url) };
}
