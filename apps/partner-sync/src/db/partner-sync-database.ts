import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CommonPrismaClient } from "@smartrecover/db-kit";
import { type DatabaseTarget, migrateDatabase, parseDatabaseUrl } from "@smartrecover/db-kit";
import { mysqlAdapter, sqliteAdapter } from "@smartrecover/db-kit/prisma";
import { PrismaClient as MysqlPrismaClient } from "../generated/mysql/client";
import { PrismaClient as SqlitePrismaClient } from "../generated/sqlite/client";
import type { SqlExecutor } from "./sql-executor";
import { SqliteWriter } from "./sqlite-writer";

export const PARTNER_SYNC_MIGRATIONS_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../prisma/partner-sync",
);

type Model =
  | "partnerSyncRecord"
  | "partnerRecord"
  | "discrepancyRecord"
  | "discrepancyEvent"
  | "inboxMessage"
  | "poisonMessage";
/**
 * The part of the Prisma client repositories read with. Both generated clients satisfy it, so
 * repositories work on SQLite and MySQL alike.
 */
export type PartnerSyncPrismaClient = CommonPrismaClient<SqlitePrismaClient, MysqlPrismaClient, Model> &
  Pick<SqlitePrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

export type Dialect = DatabaseTarget["dialect"];

/** Applies pending migrations without opening a client (the CLI's db-migrate). */
export function migratePartnerSyncDatabaseAt(url: string) {
  return migrateDatabase(url, PARTNER_SYNC_MIGRATIONS_ROOT);
}

export interface PartnerSyncDatabase {
  /** For reads. Writes go through `transaction`. */
  readonly prisma: PartnerSyncPrismaClient;
  readonly dialect: Dialect;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations first (default true): the database is ready on first use. */
  migrate?: boolean;
  /** MySQL connection pool size (default 5). */
  poolSize?: number;
}

// Generous limits: under load a transaction may wait for a pooled connection.
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 60_000 } as const;

export async function openPartnerSyncDatabase(url: string, options: OpenOptions = {}): Promise<PartnerSyncDatabase> {
  const target = parseDatabaseUrl(url);
  if (options.migrate ?? true) await migrateDatabase(url, PARTNER_SYNC_MIGRATIONS_ROOT);
  if (target.dialect === "sqlite") {
    const client = new SqlitePrismaClient({
      adapter: sqliteAdapter(target),
    });
    // WAL is set by the migrator and persists; NORMAL sync is safe under WAL and much faster.
    await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    const writer = new SqliteWriter(target.filePath);
    return {
      prisma: client,
      dialect: "sqlite",
      transaction: (work) => writer.transaction(work),
      close: async () => {
        writer.close();
        await client.$disconnect();
      },
    };
  }
  const client = new MysqlPrismaClient({
    adapter: mysqlAdapter(target, options.poolSize),
  });
  return {
    prisma: client,
    dialect: "mysql",
    transaction: (work) =>
      client.$transaction(
        (tx) =>
          work({
            query: (sql, ...params) => tx.$queryRawUnsafe(sql, ...params),
            execute: (sql, ...params) => tx.$executeRawUnsafe(sql, ...params),
          }),
        TRANSACTION_OPTIONS,
      ),
    close: () => client.$disconnect(),
  };
}
