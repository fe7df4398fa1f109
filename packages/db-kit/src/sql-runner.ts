import { setImmediate as nextTurn } from "node:timers/promises";
import Database from "better-sqlite3";

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/**
 * Raw SQL for the hot bulk paths, the same on both dialects (`?` placeholders, always
 * parameterized). On SQLite it talks to better-sqlite3 directly: Prisma's JavaScript
 * runtime roughly triples the cost of a multi-row insert there. On MySQL it goes through
 * the Prisma client, whose raw path is already fast.
 */
export interface SqlRunner {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs the statements in one transaction: all or nothing. */
  transaction(statements: readonly SqlStatement[]): Promise<void>;
  close(): Promise<void>;
}

/** How Prisma's SQLite adapter stores DateTime (ISO-8601 text, explicit UTC offset); raw writes must match it. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

function sqliteParam(value: unknown): unknown {
  if (value instanceof Date) return sqliteTimestamp(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/**
 * Settings for a connection that does a process's bulk writes. SQLite checkpoints the WAL (copies
 * it into the database file and fsyncs both) every 1,000 pages by default; a 1,000-debtor
 * processing batch writes more than that, so every commit also paid a checkpoint. Every 32,768
 * pages (128 MiB), pages that several batches rewrite are copied and synced once. After a
 * checkpoint the WAL file is cut back to that size rather than kept at its largest.
 */
export function checkpointLessOften(db: Database.Database): void {
  db.pragma("wal_autocheckpoint = 32768");
  db.pragma("journal_size_limit = 134217728");
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

/** The subset of a Prisma client the MySQL runner needs; both generated clients satisfy it. */
export interface RawPrismaClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $transaction(queries: Promise<unknown>[]): Promise<unknown>;
}

export function createPrismaRunner(client: RawPrismaClient): SqlRunner {
  return {
    query: <T>(sql: string, params: unknown[] = []) => client.$queryRawUnsafe<T[]>(sql, ...params),
    async transaction(batch) {
      if (batch.length === 0) return;
      await client.$transaction(batch.map(({ sql, params }) => client.$executeRawUnsafe(sql, ...params)));
    },
    async close() {},
  };
}
