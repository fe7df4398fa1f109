import { migratePartnerSyncDatabase } from "@smartrecover/partner-sync/cli";
import { migrateRiskServiceDatabase } from "@smartrecover/risk-service/cli";
import type { Command } from "commander";

/** `db-migrate`: applies pending migrations of both services' databases (also done on first use). */
export function registerDbMigrateCommand(program: Command): void {
  program
    .command("db-migrate")
    .description("Apply pending database migrations of both services (also done automatically on first use)")
    .action(async () => {
      console.log(await migrateRiskServiceDatabase());
      console.log(await migratePartnerSyncDatabase());
    });
}
