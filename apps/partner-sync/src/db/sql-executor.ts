/**
 * Raw SQL inside one transaction, the same shape on both databases. Repositories write through
 * this (never through a bare client) so every write is part of a transaction.
 */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  execute(sql: string, ...params: unknown[]): Promise<number>;
}
