export * from "./common-client";
export * from "./database-url";
export * from "./driver-adapter";
export * from "./migrate";
export * from "./sql-runner";
export * from "./testing";
