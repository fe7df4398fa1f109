export * from "./common-client";
export * from "./database-url";
export * from "./driver-adapter";
export { DEFAULT_POOL_SIZE, MAX_POOL_SIZE } from "./mariadb-database";
export * from "./migrate";
export * from "./open-service-database";
export * from "./sql-dates";
export * from "./sql-dialect";
export * from "./sql-executor";
export * from "./sql-runner";
export { checkpointLessOften } from "./sqlite-database";
// Test databases stay reachable from the main entry until partner-sync imports `./testing`.
export * from "./testing-databases";
export { isRetryableTransactionError, RetryableTransactionError } from "./transaction-errors";
