import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { type DatabaseTarget, mysqlServerOptions, parseDatabaseUrl } from "./database-url";

/**
 * Applies `<migrationsRoot>/<dialect>/migrations/<name>/migration.sql` in name order and records
 * each in Prisma's `_prisma_migrations` table, so the history matches what `prisma migrate deploy`
 * would write. Prisma's own deploy cannot run here for MySQL (its WebAssembly engine lacks the
 * connector), hence this runner. Safe to call from several processes at once.
 */
export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(migrationsRoot: string, dialect: DatabaseTarget["dialect"]): Migration[] {
  const folder = join(migrationsRoot, dialect, "migrations");
  if (!existsSync(folder)) throw new Error(`no migrations folder at ${folder}`);
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(folder, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

function pendingMigrations(all: Migration[], applied: AppliedRow[]): Migration[] {
  const byName = new Map(applied.filter((row) => row.rolled_back_at === null).map((row) => [row.migration_name, row]));
  for (const row of byName.values()) {
    if (row.finished_at === null) {
      throw new Error(`migration ${row.migration_name} failed earlier and must be resolved by hand before migrating`);
    }
    const file = all.find((migration) => migration.name === row.migration_name);
    if (file && file.checksum !== row.checksum) {
      throw new Error(`migration ${row.migration_name} was modified after it was applied`);
    }
  }
  return all.filter((migration) => !byName.has(migration.name));
}

const SQLITE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const MYSQL_HISTORY = `CREATE TABLE IF NOT EXISTS \`_prisma_migrations\` (
  \`id\` VARCHAR(36) PRIMARY KEY NOT NULL,
  \`checksum\` VARCHAR(64) NOT NULL,
  \`finished_at\` DATETIME(3),
  \`migration_name\` VARCHAR(255) NOT NULL,
  \`logs\` TEXT,
  \`rolled_back_at\` DATETIME(3),
  \`started_at\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  \`applied_steps_count\` INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

function migrateSqlite(
  target: Extract<DatabaseTarget, { dialect: "sqlite" }>,
  migrations: Migration[],
): MigrationResult {
  if (target.filePath !== ":memory:") mkdirSync(dirname(target.filePath), { recursive: true });
  const db = new Database(target.filePath);
  try {
    db.pragma("busy_timeout = 10000");
    // Nothing pending (the usual start): answer from a read, without queueing for the write lock
    // behind another process's long transaction.
    if (sqliteUpToDate(db, migrations)) return { applied: [], alreadyApplied: migrations.length };
    db.pragma("journal_mode = WAL");
    // BEGIN IMMEDIATE takes the write lock up front, so concurrent migrators queue instead of racing.
    const run = db.transaction(() => {
      db.exec(SQLITE_HISTORY);
      const applied = db
        .prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`)
        .all() as AppliedRow[];
      const pending = pendingMigrations(migrations, applied);
      const record = db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES (?, ?, ?, ?, ?, 1)`,
      );
      for (const migration of pending) {
        const startedAt = Date.now();
        db.exec(migration.sql);
        record.run(randomUUID(), migration.checksum, Date.now(), migration.name, startedAt);
      }
      return { applied: pending.map((m) => m.name), alreadyApplied: migrations.length - pending.length };
    });
    return run.immediate();
  } finally {
    db.close();
  }
}

function sqliteUpToDate(db: Database.Database, migrations: Migration[]): boolean {
  const history = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`)
    .get();
  if (!history) return false;
  const applied = db
    .prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`)
    .all() as AppliedRow[];
  return pendingMigrations(migrations, applied).length === 0;
}

async function migrateMysql(
  target: Extract<DatabaseTarget, { dialect: "mysql" }>,
  migrations: Migration[],
): Promise<MigrationResult> {
  const mariadb = await loadMariadb();
  const connection = await mariadb.createConnection({
    connectTimeout: 10_000,
    ...mysqlServerOptions(target, { withDatabase: false }),
    multipleStatements: true,
  });
  const lockName = `smartrecover_migrate_${target.database}`;
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await connection.query(`USE \`${target.database}\``);
    const [lock] = (await connection.query("SELECT GET_LOCK(?, 60) AS acquired", [lockName])) as Array<{
      acquired: number | bigint;
    }>;
    if (Number(lock?.acquired) !== 1)
      throw new Error(`could not take the migration lock on ${target.database} within 60 s`);
    await connection.query(MYSQL_HISTORY);
    const applied = (await connection.query(
      "SELECT migration_name, checksum, finished_at, rolled_back_at FROM `_prisma_migrations`",
    )) as AppliedRow[];
    const pending = pendingMigrations(migrations, applied);
    for (const migration of pending) {
      const id = randomUUID();
      // MySQL commits DDL implicitly, so a failure midway is recorded (finished_at NULL) like Prisma does.
      await connection.query(
        "INSERT INTO `_prisma_migrations` (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, NOW(3), 0)",
        [id, migration.checksum, migration.name],
      );
      try {
        await connection.query(migration.sql);
      } catch (error) {
        await connection.query("UPDATE `_prisma_migrations` SET logs = ? WHERE id = ?", [String(error), id]);
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
      await connection.query(
        "UPDATE `_prisma_migrations` SET finished_at = NOW(3), applied_steps_count = 1 WHERE id = ?",
        [id],
      );
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: migrations.length - pending.length };
  } finally {
    await connection.query("SELECT RELEASE_LOCK(?)", [lockName]).catch(() => undefined);
    await connection.end();
  }
}

/** The MySQL driver loads only for MySQL targets: a command on SQLite starts without it. */
async function loadMariadb() {
  return (await import("mariadb")).default;
}

export async function migrateDatabase(url: string, migrationsRoot: string): Promise<MigrationResult> {
  const target = parseDatabaseUrl(url);
  const migrations = listMigrations(migrationsRoot, target.dialect);
  return target.dialect === "sqlite" ? migrateSqlite(target, migrations) : migrateMysql(target, migrations);
}

/** Drops a MySQL database (tests create and drop their own); a no-op for SQLite URLs. */
export async function dropMysqlDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== "mysql") return;
  const mariadb = await loadMariadb();
  const connection = await mariadb.createConnection(mysqlServerOptions(target, { withDatabase: false }));
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
  } finally {
    await connection.end();
  }
}
