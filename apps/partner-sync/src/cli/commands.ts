import { migrateDatabase, redactUrl } from "@smartrecover/db-kit";
import type { Command } from "commander";
import { loadPartnerSyncConfig } from "../config";
import { PARTNER_SYNC_MIGRATIONS_ROOT } from "../service";
import { registerConsumeCommand } from "./consume.command";
import { registerDlqCommand } from "./dlq.command";
import { registerPartnerBookCommand } from "./partner-book.command";
import { registerReconciliationReportCommand } from "./reconciliation-report.command";

/** partner-sync's CLI commands (consume, reconciliation-report, dlq …) register here. */
export function registerPartnerSyncCommands(program: Command): void {
  registerConsumeCommand(program);
  registerDlqCommand(program);
  registerReconciliationReportCommand(program);
  registerPartnerBookCommand(program);
}

/** Applies pending partner-sync migrations; returns a one-line summary (for `pnpm cli db-migrate`). */
export async function migratePartnerSyncDatabase(): Promise<string> {
  const config = loadPartnerSyncConfig();
  const result = await migrateDatabase(config.PARTNER_SYNC_DATABASE_URL, PARTNER_SYNC_MIGRATIONS_ROOT);
  const applied = result.applied.length ? ` (${result.applied.join(", ")})` : "";
  return `partner-sync ${redactUrl(config.PARTNER_SYNC_DATABASE_URL)}: ${result.applied.length} applied${applied}, ${result.alreadyApplied} already applied`;
}
