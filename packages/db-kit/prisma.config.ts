// Prisma CLI configuration for the offline JavaScript schema engine: Prisma's native engines
// cannot be downloaded on every machine we build on. generate-schemas.ts sets PRISMA_SCHEMA
// and PRISMA_DIALECT; the adapter must match the schema's provider.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaMariaDb } from "@prisma/adapter-mariadb";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: process.env.PRISMA_SCHEMA ?? "",
  adapter: async () =>
    process.env.PRISMA_DIALECT === "mysql"
      ? new PrismaMariaDb(process.env.DATABASE_URL ?? "mysql://unused@localhost:1/unused")
      : new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? ":memory:" }),
});
