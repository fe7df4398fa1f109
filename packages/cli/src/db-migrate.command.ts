import { migrateRiskServiceDatabase } from "@smartrecover/risk-service/cli";
import type { Command } from "commander";

/** `db-migrate`: applies pending migrations of every service's database (also done on first use). */
export function registerDbMigrateCommand(program: Command): void {
  program
    .command("db-migrate")
    .description("Apply pending database migrations of both services")
    .action(async () => {
      console.log(await migrateRiskServiceDatabase());
    });
}
