import { setImmediate as nextTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import mariadb from "mariadb";
import { type DatabaseTarget, mysqlServerOptions } from "./database-url";
import { mysqlTimestamp, sqliteTimestamp } from "./sql-dates";
import { checkpointLessOften } from "./sqlite-database";

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/**
 * @deprecated replaced by `openServiceDatabase`'s executor; removed once risk-service has moved.
 * Raw SQL for the hot bulk paths, the same on both dialects (`?` placeholders, always
 * parameterized). It talks to the database driver directly (better-sqlite3, mariadb):
 * Prisma's JavaScript runtime roughly triples the cost of a multi-row insert on SQLite,
 * and its raw path on MariaDB doubled the server's CPU per single-debtor API read (0.50 vs 0.23 ms).
 */
export interface SqlRunner {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs the statements in one transaction: all or nothing. */
  transaction(statements: readonly SqlStatement[]): Promise<void>;
  close(): Promise<void>;
}

// A batch writes the same instant into every row: convert it once, not once per row.
let lastTime = Number.NaN;
let lastTimestamp = "";

function sqliteParam(value: unknown): unknown {
  if (value instanceof Date) {
    const time = value.getTime();
    if (time !== lastTime) {
      lastTimestamp = sqliteTimestamp(value);
      lastTime = time;
    }
    return lastTimestamp;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

export function createSqliteRunner(filePath: string): SqlRunner {
  const db = new Database(filePath);
  db.pragma("busy_timeout = 10000");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  // 64 MiB of page cache (default 2 MiB): a million-debtor run touches pages all over the file.
  db.pragma("cache_size = -65536");
  checkpointLessOften(db);
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const runAll = db.transaction((batch: readonly SqlStatement[]) => {
    for (const { sql, params } of batch) prepare(sql).run(...params.map(sqliteParam));
  });
  // better-sqlite3 is synchronous: yielding to the event loop before each call keeps a long
  // run (hundreds of statements) from starving an HTTP server in the same process.
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      await nextTurn();
      return prepare(sql).all(...params.map(sqliteParam)) as T[];
    },
    async transaction(batch) {
      if (batch.length === 0) return;
      await nextTurn();
      runAll.immediate(batch);
    },
    async close() {
      db.close();
    },
  };
}

function mysqlParam(value: unknown): unknown {
  return value instanceof Date ? mysqlTimestamp(value) : value;
}

/** DATETIME values are UTC, as Prisma writes and reads them, whatever the server's or Node's time zone. */
const mysqlTypeCast: mariadb.TypeCastFunction = (field, next) => {
  if (field.type !== "DATETIME" && field.type !== "TIMESTAMP") return next();
  const text = field.string();
  return text === null ? null : new Date(`${text.replace(" ", "T")}Z`);
};

/**
 * The MySQL/MariaDB runner: its own mariadb pool next to Prisma's. Rows come back as Prisma's raw
 * queries return them (BIGINT as bigint, DATETIME as Date, text as string).
 */
export function createMariadbRunner(target: Extract<DatabaseTarget, { dialect: "mysql" }>, poolSize = 5): SqlRunner {
  const pool = mariadb.createPool({ ...mysqlServerOptions(target), connectionLimit: poolSize });
  const request = (sql: string) => ({ sql, typeCast: mysqlTypeCast, autoJsonMap: false });
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(request(sql), params.map(mysqlParam))) as T[];
    },
    async transaction(batch) {
      if (batch.length === 0) return;
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        for (const { sql, params } of batch) await connection.query(request(sql), params.map(mysqlParam));
        await connection.commit();
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        throw error;
      } finally {
        await connection.release();
      }
    },
    close: () => pool.end(),
  };
}
