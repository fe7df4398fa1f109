import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export type ConsoleSqlite = Database.Database;

// Two plain tables with no dialect-specific SQL, so the move to the project's data layer stays mechanical.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS console_users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  failed_count INTEGER NOT NULL DEFAULT 0,
  first_failed_at INTEGER,
  locked_until INTEGER
);
CREATE TABLE IF NOT EXISTS console_sessions (
  id_hash TEXT PRIMARY KEY,
  subject TEXT NOT NULL,
  role TEXT NOT NULL,
  source TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  upstream_secret TEXT
);
CREATE INDEX IF NOT EXISTS console_sessions_subject ON console_sessions (subject);
CREATE INDEX IF NOT EXISTS console_sessions_expires_at ON console_sessions (expires_at);
`;

/** Opens (and creates) the console's SQLite database from a `file:` URL. */
export function openConsoleSqlite(url: string): ConsoleSqlite {
  if (!url.startsWith("file:")) throw new Error("CONSOLE_DATABASE_URL must be a file: URL for now");
  const path = url.slice("file:".length);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.exec(SCHEMA);
  return db;
}
