export * from "./database-url";
export * from "./migrate";
