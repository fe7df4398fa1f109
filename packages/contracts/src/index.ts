export * from "./enums";
export * from "./money";
export * from "./queue-message";
