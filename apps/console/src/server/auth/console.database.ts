import { migrateDatabase, openServiceDatabase, type ServiceDatabase } from "@smartrecover/db-kit";
import { redactUrl } from "@smartrecover/db-kit/url";
import { findUpward } from "@smartrecover/service-kit";

/**
 * `prisma/console`: the console's migrations for both dialects, applied like the services' own.
 * Found by walking up, so it holds when this module runs bundled into the CLI's dist/ too.
 */
export const CONSOLE_MIGRATIONS_ROOT = findUpward(import.meta.url, "prisma/console");

/**
 * Opens the console's database (accounts and sessions) through the project's data layer:
 * `file:` for SQLite, `mysql://` for MySQL/MariaDB; pending migrations are applied first unless
 * `migrate` is false (MIGRATE_ON_START=false: `pnpm cli db-migrate` ran them as a DDL user).
 */
export function openConsoleDatabase(url: string, migrate = true): Promise<ServiceDatabase> {
  return openServiceDatabase({ url, migrationsRoot: CONSOLE_MIGRATIONS_ROOT, poolSize: 2, migrate });
}

/** Applies pending console migrations; a one-line summary for `pnpm cli db-migrate`. */
export async function migrateConsoleDatabase(url: string): Promise<string> {
  const result = await migrateDatabase(url, CONSOLE_MIGRATIONS_ROOT);
  const applied = result.applied.length ? ` (${result.applied.join(", ")})` : "";
  return `console ${redactUrl(url)}: ${result.applied.length} applied${applied}, ${result.alreadyApplied} already applied`;
}

/** A primary-key clash on either dialect (SQLite's constraint code, MySQL's ER_DUP_ENTRY). */
export function isDuplicateKey(error: unknown): boolean {
  const { code, errno } = error as { code?: string; errno?: number };
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "ER_DUP_ENTRY" || errno === 1062;
}
