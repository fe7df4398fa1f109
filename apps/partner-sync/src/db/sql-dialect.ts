import type { Dialect } from "./partner-sync-database";

/** A SELECT expression that reads a DECIMAL column as exact text ("1234.50"), never as a float. */
export function moneyText(dialect: Dialect, column: string): string {
  return dialect === "sqlite" ? `printf('%.2f', ${column})` : `CAST(${column} AS CHAR)`;
}

/** `(?, ?, …)` repeated `rows` times. */
export function placeholders(columns: number, rows: number): string {
  const row = `(${Array.from({ length: columns }, () => "?").join(", ")})`;
  return Array.from({ length: rows }, () => row).join(", ");
}

export function inList(count: number): string {
  return `(${Array.from({ length: count }, () => "?").join(", ")})`;
}

/** `INSERT … ON CONFLICT/DUPLICATE KEY UPDATE` of `updates` (default: every non-key column). */
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

/** Locking read on MySQL so concurrent consumers serialise per debtor; SQLite serialises all writers anyway. */
export function forUpdate(dialect: Dialect): string {
  return dialect === "mysql" ? " FOR UPDATE" : "";
}
