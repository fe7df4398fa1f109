import type { Command } from "commander";
import { registerReconciliationReportCommand } from "./reconciliation-report.command";

/** partner-sync's CLI commands (consume, reconciliation-report, dlq …) register here. */
export function registerPartnerSyncCommands(program: Command): void {
  registerReconciliationReportCommand(program);
}
