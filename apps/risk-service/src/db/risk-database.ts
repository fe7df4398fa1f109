import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CommonPrismaClient } from "@smartrecover/db-kit";
import {
  createMariadbRunner,
  createSqliteRunner,
  type DatabaseTarget,
  migrateDatabase,
  mysqlAdapter,
  parseDatabaseUrl,
  type SqlRunner,
  type SqlStatement,
  sqliteAdapter,
} from "@smartrecover/db-kit";
import { PrismaClient as MysqlPrismaClient } from "../generated/mysql/client";
import { PrismaClient as SqlitePrismaClient } from "../generated/sqlite/client";

export const RISK_MIGRATIONS_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../prisma/risk-service");

/**
 * The part of the Prisma client repositories use. Both generated clients satisfy it, so
 * repositories work on SQLite and MySQL alike; dialect differences live in raw SQL only.
 */
type Model = "debtor" | "riskScore" | "processingRun" | "processingError" | "outboxMessage";
export type RiskPrismaClient = CommonPrismaClient<SqlitePrismaClient, MysqlPrismaClient, Model> &
  Pick<SqlitePrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

export type Dialect = DatabaseTarget["dialect"];

export interface RiskDatabase {
  readonly prisma: RiskPrismaClient;
  readonly dialect: Dialect;
  /** Raw SQL for bulk paths (see SqlRunner); `?` placeholders on both dialects. */
  readonly sql: SqlRunner;
  /** Runs raw statements in one transaction (all or nothing). */
  transaction(statements: readonly SqlStatement[]): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations first (default true): the database is ready on first use. */
  migrate?: boolean;
  /** MySQL connection pool size (default 5). */
  poolSize?: number;
}

export async function openRiskDatabase(url: string, options: OpenOptions = {}): Promise<RiskDatabase> {
  const target = parseDatabaseUrl(url);
  if (options.migrate ?? true) await migrateDatabase(url, RISK_MIGRATIONS_ROOT);
  if (target.dialect === "sqlite") {
    const client = new SqlitePrismaClient({
      adapter: sqliteAdapter(target),
    });
    // WAL is set by the migrator and persists; NORMAL sync is safe under WAL and much faster.
    await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    await client.$queryRawUnsafe("PRAGMA foreign_keys = ON");
    const sql = createSqliteRunner(target.filePath);
    return {
      prisma: client,
      dialect: "sqlite",
      sql,
      transaction: (statements) => sql.transaction(statements),
      close: async () => {
        await sql.close();
        await client.$disconnect();
      },
    };
  }
  const client = new MysqlPrismaClient({
    adapter: mysqlAdapter(target, options.poolSize),
  });
  const sql = createMariadbRunner(target, options.poolSize);
  return {
    prisma: client,
    dialect: "mysql",
    sql,
    transaction: (statements) => sql.transaction(statements),
    close: async () => {
      await sql.close();
      await client.$disconnect();
    },
  };
}

export function migrateRiskDatabase(url: string) {
  return migrateDatabase(url, RISK_MIGRATIONS_ROOT);
}
