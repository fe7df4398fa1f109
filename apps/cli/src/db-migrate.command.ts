import { migrateConsole } from "@smartrecover/console/cli";
import { migratePartnerSyncDatabase } from "@smartrecover/partner-sync/cli";
import { migrateRiskServiceDatabase } from "@smartrecover/risk-service/cli";
import type { Command } from "commander";

/** `db-migrate`: applies pending migrations of both services' and the console's databases (also done on first use). */
export function registerDbMigrateCommand(program: Command): void {
  program
    .command("db-migrate")
    .description("Apply pending database migrations of both services and the console (also done on first use)")
    .action(async () => {
      console.log(await migrateRiskServiceDatabase());
      console.log(await migratePartnerSyncDatabase());
      console.log(await migrateConsole());
    });
}
