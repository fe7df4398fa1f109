import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import mariadb from "mariadb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../src/database-url";
import { listMigrations, migrateDatabase } from "../src/migrate";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../src/testing";

const sourceRoot = join(import.meta.dirname, "../../../prisma/risk-service");

async function appliedNames(url: string): Promise<string[]> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === "sqlite") {
    const db = new Database(target.filePath, { readonly: true });
    try {
      const rows = db
        .prepare(
          `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
        )
        .all();
      return (rows as Array<{ migration_name: string }>).map((r) => r.migration_name);
    } finally {
      db.close();
    }
  }
  const connection = await mariadb.createConnection({ ...target, database: target.database });
  try {
    const rows = await connection.query(
      "SELECT migration_name FROM `_prisma_migrations` WHERE finished_at IS NOT NULL ORDER BY migration_name",
    );
    return (rows as Array<{ migration_name: string }>).map((r) => r.migration_name);
  } finally {
    await connection.end();
  }
}

describe.each(TEST_DIALECTS)("migrateDatabase on %s", (dialect) => {
  let testDb: TestDatabase;
  let root: string;

  beforeAll(() => {
    testDb = createTestDatabase(dialect, "migrate");
    // A private copy of the migrations, so a test can add or alter one.
    root = mkdtempSync(join(tmpdir(), "smartrecover-migrations-"));
    cpSync(sourceRoot, root, { recursive: true });
  });

  afterAll(async () => {
    await testDb?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it("when run on an empty database, then it applies every migration and records them in _prisma_migrations", async () => {
    const expected = listMigrations(root, dialect).map((m) => m.name);
    const result = await migrateDatabase(testDb.url, root);
    expect(result.applied).toEqual(expected);
    expect(await appliedNames(testDb.url)).toEqual(expected);
  });

  it("when run again, and by several processes at once, then nothing is applied twice", async () => {
    const results = await Promise.all([1, 2, 3].map(() => migrateDatabase(testDb.url, root)));
    expect(results.map((r) => r.applied.length)).toEqual([0, 0, 0]);
  });

  it("when a new migration is added, then only that one is applied", async () => {
    const folder = join(root, dialect, "migrations", "29991231000000_add_probe");
    cpSync(join(root, dialect, "migrations", listMigrations(root, dialect)[0]?.name ?? ""), folder, {
      recursive: true,
    });
    writeFileSync(join(folder, "migration.sql"), "CREATE TABLE migration_probe (id INTEGER NOT NULL PRIMARY KEY);\n");
    const result = await migrateDatabase(testDb.url, root);
    expect(result.applied).toEqual(["29991231000000_add_probe"]);
  });

  it("when an applied migration was edited, then migrating fails and says which one", async () => {
    const folder = join(root, dialect, "migrations", "29991231000000_add_probe");
    writeFileSync(
      join(folder, "migration.sql"),
      "CREATE TABLE migration_probe (id INTEGER NOT NULL PRIMARY KEY, x INTEGER);\n",
    );
    await expect(migrateDatabase(testDb.url, root)).rejects.toThrow(/29991231000000_add_probe was modified/);
  });
});

describe("parseDatabaseUrl", () => {
  it("when given an unsupported scheme, then the error names the accepted forms and hides the password", () => {
    expect(() => parseDatabaseUrl("postgres://u:secret@h/db")).toThrow(/file:<path>.*mysql:\/\//);
    expect(() => parseDatabaseUrl("postgres://u:secret@h/db")).not.toThrow(/secret/);
  });

  it("when a MySQL URL has no database name, then it is rejected", () => {
    expect(() => parseDatabaseUrl("mysql://root@127.0.0.1:3306")).toThrow(/needs a database name/);
  });

  it("when a relative SQLite path is given, then it resolves against the working directory", () => {
    const target = parseDatabaseUrl("file:.data/x.db");
    expect(target).toMatchObject({ dialect: "sqlite", filePath: join(process.cwd(), ".data/x.db") });
  });
});
