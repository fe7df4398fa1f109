import { redactUrl } from "@smartrecover/db-kit/url";
import type { Command } from "commander";
import { loadRiskServiceConfig } from "../config";
import { registerGenerateTestDebtorsCommand } from "./generate-test-debtors.command";
import { registerProcessDebtorsCommand } from "./process-debtors.command";

/** risk-service's CLI commands: generate-test-debtors, process-debtors. */
export function registerRiskServiceCommands(program: Command): void {
  registerGenerateTestDebtorsCommand(program);
  registerProcessDebtorsCommand(program);
}

/** Applies pending risk-service migrations; returns a one-line summary (used by `pnpm cli db-migrate`). */
export async function migrateRiskServiceDatabase(): Promise<string> {
  const config = loadRiskServiceConfig();
  const { migrateRiskDatabase } = await import("../db/risk-database");
  const result = await migrateRiskDatabase(config.RISK_DATABASE_URL);
  const applied = result.applied.length ? ` (${result.applied.join(", ")})` : "";
  return `risk-service ${redactUrl(config.RISK_DATABASE_URL)}: ${result.applied.length} applied${applied}, ${result.alreadyApplied} already applied`;
}
