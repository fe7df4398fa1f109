export type Dialect = "sqlite" | "mysql";

/** The one parameter style: `?` placeholders, params as one array. Used inside and outside transactions. */
export interface SqlExecutor {
  readonly dialect: Dialect;
  /** Rows of a SELECT; a statement that returns no rows resolves with an empty array. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** INSERT/UPDATE/DELETE; resolves with the number of rows changed (matched, on MySQL too). */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/**
 * A service's database. Statements outside `transaction` each commit on their own (SQLite: reads
 * on a separate connection, writes queued behind transactions).
 */
export interface ServiceDatabase extends SqlExecutor {
  /** Committed when `work` resolves, rolled back when it throws. Repositories accept the `tx` handle. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Waits for queued transactions, then closes every connection. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `file:<path>` (SQLite) or `mysql://user:pass@host:port/db` (MySQL/MariaDB). */
  url: string;
  /** `prisma/<service>`: holds `<dialect>/migrations/<name>/migration.sql`. */
  migrationsRoot: string;
  /** Apply pending migrations first (default true): the database is ready on first use. */
  migrate?: boolean;
  /** MySQL connection pool size, 1 to MAX_POOL_SIZE (default 5). SQLite uses one writer and one reader. */
  poolSize?: number;
}
