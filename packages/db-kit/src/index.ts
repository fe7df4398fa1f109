// Types only: loading them loads nothing of Prisma.
export type { CommonMethod, CommonPrismaClient } from "./common-client";
export * from "./database-url";
export * from "./migrate";
export * from "./open-service-database";
export { DEFAULT_POOL_SIZE, MAX_POOL_SIZE } from "./pool-size";
export * from "./sql-dates";
export * from "./sql-dialect";
export * from "./sql-executor";
export { checkpointLessOften } from "./sqlite-database";
// Test databases stay reachable from the main entry until partner-sync imports `./testing`.
export * from "./testing-databases";
export { isRetryableTransactionError, RetryableTransactionError } from "./transaction-errors";
