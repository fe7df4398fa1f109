import { checkpointLessOften } from "@smartrecover/db-kit";
import Database from "better-sqlite3";
import type { SqlExecutor } from "./sql-executor";

type Statement = Database.Statement<unknown[], unknown>;

// Statement texts vary with the row count (up to ~100 per kind with coalesced batches).
const MAX_CACHED_STATEMENTS = 2048;

/**
 * The one connection that writes the SQLite database. Prisma's JavaScript runtime costs about
 * 0.1–0.3 ms per statement, too slow for the ≥ 2,000 messages/s apply path, so writes run here on
 * better-sqlite3 directly, with prepared statements cached by SQL text. Transactions are queued
 * one at a time (the connection is shared by the whole process) and start with BEGIN IMMEDIATE,
 * so a transaction that reads before it writes never fails to upgrade its lock.
 * Prisma keeps its own connection for reads; under WAL those see only committed data.
 */
export class SqliteWriter {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Statement>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(filePath: string) {
    this.#db = new Database(filePath, { timeout: 10_000 });
    this.#db.pragma("synchronous = NORMAL");
    this.#db.pragma("foreign_keys = ON");
    checkpointLessOften(this.#db);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => this.#runTransaction(work));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }

  async #runTransaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let open = true;
    const guard = () => {
      if (!open) throw new Error("SQL executor used after its transaction ended");
    };
    const executor: SqlExecutor = {
      query: async <R>(sql: string, ...params: unknown[]) => {
        guard();
        const statement = this.#prepare(sql);
        const args = params.map(toSqlite);
        if (statement.reader) return statement.all(...args) as R[];
        statement.run(...args);
        return [];
      },
      execute: async (sql, ...params) => {
        guard();
        return this.#prepare(sql).run(...params.map(toSqlite)).changes;
      },
    };
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = await work(executor);
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
      throw error;
    } finally {
      open = false;
    }
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** Parameters as Prisma's SQLite adapter stores them, so the ORM reads our rows back alike. */
function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}
