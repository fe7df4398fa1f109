/** A date as a driver returns it: a Date (MySQL), ISO or SQL text (SQLite), or epoch milliseconds. */
export type StoredDate = Date | string | number;

/** How SQLite stores a DateTime (ISO-8601 text with an explicit UTC offset), as Prisma's SQLite adapter does. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/** How MySQL stores a DateTime: UTC wall-clock text with milliseconds, as Prisma's MariaDB adapter sends it. */
export function mysqlTimestamp(date: Date): string {
  return date.toISOString().slice(0, 23).replace("T", " ");
}

/** SQLite's CURRENT_TIMESTAMP text and MySQL's DATETIME text carry no zone: both are UTC here. */
const ZONELESS = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?$/;

/**
 * The one way stored dates are read back, whatever the dialect wrote: `Date` from MySQL (already
 * UTC, see the MariaDB type cast), ISO text with an offset, zone-less SQL text (UTC, never local
 * time), or epoch milliseconds. An unreadable value is an error, not an Invalid Date.
 */
export function readDate(value: StoredDate): Date;
export function readDate(value: StoredDate | null): Date | null;
export function readDate(value: StoredDate | null): Date | null {
  if (value === null) return null;
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === "string" && ZONELESS.test(value)) date = new Date(`${value.replace(" ", "T")}Z`);
  else date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`unreadable stored date: ${String(value)}`);
  return date;
}
