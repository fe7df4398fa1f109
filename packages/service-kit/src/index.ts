export * from "./auth/index";
export * from "./cli-options";
export * from "./config";
export * from "./http/index";
export * from "./logger";
export * from "./progress";
