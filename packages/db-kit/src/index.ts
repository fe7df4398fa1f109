export * from "./database-url";
export * from "./migrate";
export * from "./testing";
