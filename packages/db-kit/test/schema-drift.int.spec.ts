import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import mariadb from "mariadb";
import { afterAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../src/database-url";
import { migrateDatabase } from "../src/migrate";
import { schemaVariants } from "../src/schema-variants";
import { createTestDatabase } from "../src/testing";

const repoRoot = resolve(import.meta.dirname, "../../..");
const services = [...new Set(schemaVariants(repoRoot).map((v) => v.service))];
const dir = mkdtempSync(join(tmpdir(), "smartrecover-drift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Shape {
  columns: string[];
  indexes: string[];
}

/** Tables → sorted "column nullability" and "index unique(columns)" lines; Prisma's own table left out. */
function sqliteShape(file: string): Record<string, Shape> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`,
      )
      .all() as Array<{ name: string }>;
    return Object.fromEntries(
      tables.map(({ name }) => {
        const columns = (db.pragma(`table_info("${name}")`) as Array<{ name: string; notnull: number }>).map(
          (c) => `${c.name} ${c.notnull ? "NOT NULL" : "NULL"}`,
        );
        const indexes = (db.pragma(`index_list("${name}")`) as Array<{ name: string; unique: number; origin: string }>)
          .filter((i) => i.origin === "c")
          .map((i) => {
            const cols = (db.pragma(`index_info("${i.name}")`) as Array<{ name: string }>).map((c) => c.name);
            return `${i.name} ${i.unique ? "UNIQUE " : ""}(${cols.join(", ")})`;
          });
        return [name, { columns: columns.sort(), indexes: indexes.sort() }];
      }),
    );
  } finally {
    db.close();
  }
}

async function mysqlShape(url: string): Promise<Record<string, Shape>> {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== "mysql") throw new Error("mysql URL expected");
  const connection = await mariadb.createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
  });
  try {
    const columns = (await connection.query(
      "SELECT table_name AS t, column_name AS c, is_nullable AS n FROM information_schema.columns WHERE table_schema = ? AND table_name <> '_prisma_migrations'",
      [target.database],
    )) as Array<{ t: string; c: string; n: string }>;
    const indexes = (await connection.query(
      `SELECT table_name AS t, index_name AS i, non_unique AS nu, GROUP_CONCAT(column_name ORDER BY seq_in_index SEPARATOR ', ') AS cols
       FROM information_schema.statistics WHERE table_schema = ? AND index_name <> 'PRIMARY' AND table_name <> '_prisma_migrations'
       GROUP BY table_name, index_name, non_unique`,
      [target.database],
    )) as Array<{ t: string; i: string; nu: number | bigint; cols: string }>;
    const shape: Record<string, Shape> = {};
    for (const row of columns) {
      shape[row.t] ??= { columns: [], indexes: [] };
      shape[row.t]?.columns.push(`${row.c} ${row.n === "YES" ? "NULL" : "NOT NULL"}`);
    }
    for (const row of indexes)
      shape[row.t]?.indexes.push(`${row.i} ${Number(row.nu) === 0 ? "UNIQUE " : ""}(${row.cols})`);
    for (const table of Object.values(shape)) {
      table.columns.sort();
      table.indexes.sort();
    }
    return shape;
  } finally {
    await connection.end();
  }
}

function modelSqlite(service: string): string {
  const schema = join(repoRoot, "prisma", service, "sqlite", "schema.prisma");
  const file = join(dir, `${service}-model.db`);
  const sql = execFileSync(
    "pnpm",
    [
      "exec",
      "prisma",
      "migrate",
      "diff",
      "--config",
      "packages/db-kit/prisma.config.ts",
      "--from-empty",
      "--to-schema-datamodel",
      schema,
      "--script",
    ],
    {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, PRISMA_DIALECT: "sqlite", PRISMA_SCHEMA: schema, DATABASE_URL: `file:${file}` },
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  const db = new Database(file);
  db.exec(sql);
  db.close();
  return file;
}

// The SQLite migrations must build exactly the model's schema, and the hand-written MySQL
// migrations the same tables, columns, nullability and indexes.
describe.each(services)("migrations of %s", (service) => {
  let model: Record<string, Shape>;

  it("when the SQLite migrations are applied, then the schema equals the one Prisma derives from the model", async () => {
    model = sqliteShape(modelSqlite(service));
    const file = join(dir, `${service}-migrated.db`);
    await migrateDatabase(`file:${file}`, join(repoRoot, "prisma", service));
    expect(sqliteShape(file)).toEqual(model);
  });

  it("when the MySQL migrations are applied, then tables, columns, nullability and indexes equal the model's", async () => {
    const testDb = createTestDatabase("mysql", `drift_${service}`);
    try {
      await migrateDatabase(testDb.url, join(repoRoot, "prisma", service));
      expect(await mysqlShape(testDb.url)).toEqual(model ?? sqliteShape(modelSqlite(service)));
    } finally {
      await testDb.drop();
    }
  });
});
