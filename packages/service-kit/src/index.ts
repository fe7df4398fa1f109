export * from "./cli-options";
export * from "./config";
export * from "./logger";
export * from "./progress";
