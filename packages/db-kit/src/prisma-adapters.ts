import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaMariaDb } from "@prisma/adapter-mariadb";
import { type DatabaseTarget, mysqlServerOptions } from "./database-url";

/** The Prisma driver adapter for SQLite targets (Prisma's JavaScript engine needs one). */
export function sqliteAdapter(target: Extract<DatabaseTarget, { dialect: "sqlite" }>): PrismaBetterSQLite3 {
  return new PrismaBetterSQLite3({ url: target.filePath, timeout: 10_000 });
}

/** The Prisma driver adapter for MySQL/MariaDB targets: the URL's TLS and timeouts, a pool (the URL's connection_limit, else 5). */
export function mysqlAdapter(
  target: Extract<DatabaseTarget, { dialect: "mysql" }>,
  poolSize = target.options.connectionLimit ?? 5,
): PrismaMariaDb {
  return new PrismaMariaDb({ ...mysqlServerOptions(target), connectionLimit: poolSize });
}
