import { openServiceDatabase, type ServiceDatabase } from "@smartrecover/db-kit";
import { findUpward } from "@smartrecover/service-kit";

/**
 * `prisma/console`: the console's migrations for both dialects, applied like the services' own.
 * Found upward, not computed from this file's place: the CLI runs this code bundled from dist/.
 */
export const CONSOLE_MIGRATIONS_ROOT = findUpward(import.meta.url, "prisma/console");

/**
 * Opens the console's database (accounts and sessions) through the project's data layer:
 * `file:` for SQLite, `mysql://` for MySQL/MariaDB; pending migrations are applied first.
 */
export function openConsoleDatabase(url: string): Promise<ServiceDatabase> {
  return openServiceDatabase({ url, migrationsRoot: CONSOLE_MIGRATIONS_ROOT, poolSize: 2 });
}

/** A primary-key clash on either dialect (SQLite's constraint code, MySQL's ER_DUP_ENTRY). */
export function isDuplicateKey(error: unknown): boolean {
  const { code, errno } = error as { code?: string; errno?: number };
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "ER_DUP_ENTRY" || errno === 1062;
}
