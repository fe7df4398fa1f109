export * from "./database-url";
export * from "./migrate";
export * from "./sql-runner";
export * from "./testing";
