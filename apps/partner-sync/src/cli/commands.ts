import type { Command } from "commander";

/** partner-sync's CLI commands (consume, reconciliation-report, dlq …) register here. */
export function registerPartnerSyncCommands(_program: Command): void {}
