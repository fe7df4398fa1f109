import { parseDatabaseUrl } from "@smartrecover/db-kit";
import { type CommonPrismaClient, mysqlAdapter, sqliteAdapter } from "@smartrecover/db-kit/prisma";
import { PrismaClient as MysqlPrismaClient } from "../../src/generated/mysql/client";
import { PrismaClient as SqlitePrismaClient } from "../../src/generated/sqlite/client";

type Model =
  | "partnerSyncRecord"
  | "partnerRecord"
  | "discrepancyRecord"
  | "discrepancyEvent"
  | "inboxMessage"
  | "poisonMessage"
  | "partnerBookImport"
  | "partnerBookStagedRow";

/** What both generated clients offer for partner-sync's models. */
export type PartnerSyncPrismaClient = CommonPrismaClient<SqlitePrismaClient, MysqlPrismaClient, Model> &
  Pick<SqlitePrismaClient, "$disconnect">;

/**
 * The generated Prisma client of the URL's dialect, for the schema drift test only: partner-sync
 * itself never loads Prisma at run time.
 */
export function openPrismaClient(url: string): PartnerSyncPrismaClient {
  const target = parseDatabaseUrl(url);
  if (target.dialect === "sqlite") return new SqlitePrismaClient({ adapter: sqliteAdapter(target) });
  return new MysqlPrismaClient({ adapter: mysqlAdapter(target, 2) });
}
