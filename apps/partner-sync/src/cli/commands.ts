import { redactUrl } from "@smartrecover/db-kit/url";
import type { Command } from "commander";
import { loadPartnerSyncConfig } from "../config";
import { registerConsumeCommand } from "./consume.command";
import { registerDlqCommand } from "./dlq.command";
import { registerPartnerBookCommand } from "./partner-book.command";
import { registerReconciliationReportCommand } from "./reconciliation-report.command";

// The consumer's summary, as `consume` prints it; the CLI's demo prints it too.
export { type ConsumerSummary, consumerSummary } from "../consumer/consumer-summary";

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
  const { migratePartnerSyncSchema } = await import("./migrate-database");
  const result = await migratePartnerSyncSchema(config.PARTNER_SYNC_DATABASE_URL);
  const applied = result.applied.length ? ` (${result.applied.join(", ")})` : "";
  return `partner-sync ${redactUrl(config.PARTNER_SYNC_DATABASE_URL)}: ${result.applied.length} applied${applied}, ${result.alreadyApplied} already applied`;
}
