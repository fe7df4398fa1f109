export * from "./auth/index";
export * from "./cli-options";
export * from "./config";
export * from "./env-file";
export * from "./http/index";
export * from "./logger";
export * from "./messages/index";
export * from "./progress";
