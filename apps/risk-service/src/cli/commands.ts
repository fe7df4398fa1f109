import type { Command } from "commander";

/** risk-service's CLI commands: generate-test-debtors, process-debtors, db-migrate. */
export function registerRiskServiceCommands(_program: Command): void {}
