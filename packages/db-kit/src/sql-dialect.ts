import type { Dialect, SqlExecutor } from "./sql-executor";

/** Rows per multi-row statement: far below SQLite's and MySQL's placeholder limits. */
export const ROWS_PER_STATEMENT = 500;

/** `(?, ?, …)` for `columns` values, repeated `rows` times. */
export function placeholders(columns: number, rows: number): string {
  const row = inList(columns);
  return Array.from({ length: rows }, () => row).join(", ");
}

/** `(?, ?, …)` with `count` placeholders, for `IN` lists. */
export function inList(count: number): string {
  return `(${Array.from({ length: count }, () => "?").join(", ")})`;
}

/**
 * `INSERT … ON CONFLICT/DUPLICATE KEY UPDATE` of `rows` rows; `updates` are the columns an existing
 * row takes from the new one (default: every non-key column). Names are the caller's constants.
 */
export function upsertSql(
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  rows: number,
  updates: readonly string[] = columns.filter((column) => !keys.includes(column)),
): string {
  const insert = `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${placeholders(columns.length, rows)}`;
  if (dialect === "sqlite") {
    return `${insert} ON CONFLICT(${keys.join(", ")}) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(", ")}`;
  }
  return `${insert} ON DUPLICATE KEY UPDATE ${updates.map((c) => `${c} = VALUES(${c})`).join(", ")}`;
}

/** A SELECT expression that reads a DECIMAL column as exact text ("1234.50"), never as a float. */
export function moneyText(dialect: Dialect, column: string): string {
  return dialect === "sqlite" ? `printf('%.2f', ${column})` : `CAST(${column} AS CHAR)`;
}

/** A money parameter compared exactly: MySQL would otherwise compare DECIMAL with a string as doubles. */
export function moneyParam(dialect: Dialect): string {
  return dialect === "mysql" ? "CAST(? AS DECIMAL(14, 2))" : "?";
}

/** Locking read on MySQL so concurrent writers serialise per row; SQLite serialises all writers anyway. */
export function forUpdate(dialect: Dialect): string {
  return dialect === "mysql" ? " FOR UPDATE" : "";
}

/** The id the last INSERT of this transaction generated; only meaningful on a transaction handle. */
export async function lastInsertId(tx: SqlExecutor): Promise<number> {
  const [row] = await tx.query<{ id: number | bigint }>(
    tx.dialect === "sqlite" ? "SELECT last_insert_rowid() AS id" : "SELECT LAST_INSERT_ID() AS id",
  );
  return Number(row?.id ?? 0);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
