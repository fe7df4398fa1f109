import { parseDatabaseUrl } from "@smartrecover/db-kit";
import { type CommonPrismaClient, mysqlAdapter, sqliteAdapter } from "@smartrecover/db-kit/prisma";
import { PrismaClient as MysqlPrismaClient } from "../src/generated/mysql/client";
import { PrismaClient as SqlitePrismaClient } from "../src/generated/sqlite/client";

type Model = "debtor" | "riskScore" | "processingRun" | "processingError" | "outboxMessage";

/** What both generated clients offer for risk-service's models. */
export type RiskPrismaClient = CommonPrismaClient<SqlitePrismaClient, MysqlPrismaClient, Model> &
  Pick<SqlitePrismaClient, "$disconnect">;

/**
 * The generated Prisma client of the URL's dialect. Only the schema drift test uses it: the
 * service itself never loads Prisma at run time.
 */
export function openPrismaClient(url: string): RiskPrismaClient {
  const target = parseDatabaseUrl(url);
  if (target.dialect === "sqlite") return new SqlitePrismaClient({ adapter: sqliteAdapter(target) });
  return new MysqlPrismaClient({ adapter: mysqlAdapter(target, 2) });
}
