import { parseDatabaseUrl } from "./database-url";
import { migrateDatabase } from "./migrate";
import type { OpenDatabaseOptions, ServiceDatabase } from "./sql-executor";
import { openSqliteDatabase } from "./sqlite-database";

/**
 * The one way a service opens its database: the URL picks the dialect, pending migrations are
 * applied first (unless `migrate: false`), and the result is the one executor both dialects share.
 */
export async function openServiceDatabase(options: OpenDatabaseOptions): Promise<ServiceDatabase> {
  const target = parseDatabaseUrl(options.url);
  if (options.migrate ?? true) await migrateDatabase(options.url, options.migrationsRoot);
  if (target.dialect === "sqlite") return openSqliteDatabase(target.filePath);
  // The MySQL driver loads only for MySQL targets: a command on SQLite starts without it.
  const { openMariadbDatabase } = await import("./mariadb-database");
  return openMariadbDatabase(target, options.poolSize ?? target.options.connectionLimit);
}
