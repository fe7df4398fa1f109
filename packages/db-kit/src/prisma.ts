// The `@smartrecover/db-kit/prisma` entry: what only Prisma's own users need (the schema drift
// tests, and partner-sync until it moves to the executor). Kept out of the main entry so that
// opening a database never loads Prisma.
export * from "./common-client";
export * from "./prisma-adapters";
