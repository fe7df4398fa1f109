import { setImmediate as nextTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import { sqliteTimestamp } from "./sql-dates";
import type { ServiceDatabase, SqlExecutor } from "./sql-executor";
import { classifyDatabaseError, closedHandleError } from "./transaction-errors";

type Statement = Database.Statement<unknown[], unknown>;

const BUSY_TIMEOUT_MS = 10_000;
// Statement texts vary with row counts (multi-row inserts, IN lists): bounded, not unlimited.
const MAX_CACHED_STATEMENTS = 2048;

/**
 * Settings for the connection that does a process's bulk writes. SQLite checkpoints the WAL (copies
 * it into the database file and fsyncs both) every 1,000 pages by default, which a processing batch
 * exceeds, so every commit would also pay a checkpoint. Every 32,768 pages (128 MiB), pages that
 * several batches rewrite are copied and synced once; afterwards the WAL is cut back to that size.
 */
export function checkpointLessOften(db: Database.Database): void {
  db.pragma("wal_autocheckpoint = 32768");
  db.pragma("journal_size_limit = 134217728");
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
  if (value === undefined) return null;
  return value;
}

function statementCache(db: Database.Database): (sql: string) => Statement {
  const statements = new Map<string, Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

function open(filePath: string): Database.Database {
  const db = new Database(filePath, { timeout: BUSY_TIMEOUT_MS });
  // 64 MiB of page cache (default 2 MiB): a million-debtor run touches pages all over the file.
  db.pragma("cache_size = -65536");
  return db;
}

/**
 * SQLite behind the one executor. A process has one writer connection: transactions queue one at
 * a time and begin with BEGIN IMMEDIATE, so a transaction that reads before it writes never fails
 * to upgrade its lock. Reads outside a transaction use a second, read-only connection, which under
 * WAL sees committed data and never waits behind a long write. better-sqlite3 is synchronous, so
 * each statement outside a transaction, and each transaction, first yields to the event loop: a
 * long run does not starve an HTTP server in the same process.
 */
export function openSqliteDatabase(filePath: string): ServiceDatabase {
  const writer = open(filePath);
  writer.pragma("synchronous = NORMAL");
  writer.pragma("foreign_keys = ON");
  checkpointLessOften(writer);
  const inMemory = filePath === ":memory:" || filePath === "";
  const reader = inMemory ? writer : open(filePath);
  if (!inMemory) reader.pragma("query_only = ON");
  const writeStatement = statementCache(writer);
  const readStatement = inMemory ? writeStatement : statementCache(reader);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const runTransaction = async <T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> => {
    await nextTurn();
    let open = true;
    const guard = () => {
      if (!open) throw closedHandleError();
    };
    const tx: SqlExecutor = {
      dialect: "sqlite",
      async query<R>(sql: string, params: readonly unknown[] = []) {
        guard();
        const statement = writeStatement(sql);
        const args = params.map(sqliteParam);
        if (statement.reader) return statement.all(...args) as R[];
        statement.run(...args);
        return [];
      },
      async execute(sql, params = []) {
        guard();
        return writeStatement(sql).run(...params.map(sqliteParam)).changes;
      },
    };
    try {
      writer.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(tx);
        writer.exec("COMMIT");
        return result;
      } finally {
        open = false;
        if (writer.inTransaction) writer.exec("ROLLBACK");
      }
    } catch (error) {
      throw classifyDatabaseError(error);
    }
  };

  const database: ServiceDatabase = {
    dialect: "sqlite",
    transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new Error("database is closed"));
      const run = queue.then(() => runTransaction(work));
      queue = run.catch(() => undefined);
      return run;
    },
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      await nextTurn();
      if (closed) throw new Error("database is closed");
      const statement = readStatement(sql);
      // A statement that writes (INSERT … RETURNING included) belongs to the writer's queue.
      if (!statement.readonly || inMemory) return database.transaction((tx) => tx.query<R>(sql, params));
      try {
        return statement.all(...params.map(sqliteParam)) as R[];
      } catch (error) {
        throw classifyDatabaseError(error);
      }
    },
    execute(sql, params = []) {
      return database.transaction((tx) => tx.execute(sql, params));
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      if (!inMemory) reader.close();
      writer.close();
    },
  };
  return database;
}
