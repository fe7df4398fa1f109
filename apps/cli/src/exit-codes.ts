import { CommanderError } from "commander";

/** Exit code 2 for anything the user typed wrong (commander parse errors, invalid values); 1 otherwise. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.code === "commander.executeSubCommandAsync" ? 1 : 2;
  if (error instanceof Error && error.name === "UsageError") return 2;
  return 1;
}
