import type { Dialect } from "./risk-database";

/** Rows per multi-row statement: far below SQLite's and MySQL's placeholder limits. */
export const ROWS_PER_STATEMENT = 500;

/** A SELECT expression that reads a DECIMAL column as exact text ("1234.50"), never as a float. */
export function moneyText(dialect: Dialect, column: string): string {
  return dialect === "sqlite" ? `printf('%.2f', ${column})` : `CAST(${column} AS CHAR)`;
}

export function placeholders(columns: number, rows: number): string {
  const row = `(${Array.from({ length: columns }, () => "?").join(", ")})`;
  return Array.from({ length: rows }, () => row).join(", ");
}

/** `INSERT … ON CONFLICT/DUPLICATE KEY UPDATE` for each dialect. */
export function upsertSql(dialect: Dialect, table: string, columns: string[], key: string, rows: number): string {
  const updates = columns.filter((column) => column !== key);
  const insert = `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${placeholders(columns.length, rows)}`;
  if (dialect === "sqlite") {
    return `${insert} ON CONFLICT(${key}) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(", ")}`;
  }
  return `${insert} ON DUPLICATE KEY UPDATE ${updates.map((c) => `${c} = VALUES(${c})`).join(", ")}`;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
