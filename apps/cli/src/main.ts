// `pnpm cli …`: one command line over both services. Each service registers its own commands;
// this file only composes them and maps failures to exit codes (2: bad usage, 1: failure).
import { registerUsersCommand } from "@smartrecover/console/cli";
import { registerPartnerSyncCommands } from "@smartrecover/partner-sync/cli";
import { registerRiskServiceCommands } from "@smartrecover/risk-service/cli";
import { loadDotEnv, registerAuthCommand } from "@smartrecover/service-kit";
import { Command, CommanderError } from "commander";
import { registerDbMigrateCommand } from "./db-migrate.command";
import { registerDemoCommand } from "./demo.command";
import { registerDevCommand } from "./dev.command";
import { exitCodeFor } from "./exit-codes";
import { registerQueuesSetupCommand } from "./queues-setup.command";

// .env is read before any command parses the environment; variables already set win.
loadDotEnv();

const program = new Command("smartrecover").description("SmartRecover recoveries platform").exitOverride();

registerRiskServiceCommands(program);
registerPartnerSyncCommands(program);
registerDbMigrateCommand(program);
registerDemoCommand(program);
registerDevCommand(program);
registerQueuesSetupCommand(program);
registerAuthCommand(program);
registerUsersCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (
    error instanceof CommanderError &&
    (error.code === "commander.helpDisplayed" || error.code === "commander.version")
  ) {
    process.exit(0);
  }
  if (!(error instanceof CommanderError)) console.error(`error: ${(error as Error).message}`);
  process.exit(exitCodeFor(error));
}
