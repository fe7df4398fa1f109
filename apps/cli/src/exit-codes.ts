import { CommanderError } from "commander";

/** Another processing run holds the lease (process-debtors). */
export const EXIT_RUN_IN_PROGRESS = 3;
/** A shutdown signal stopped the work at a safe point; what was done is committed and recorded. */
export const EXIT_STOPPED = 143;

/**
 * Exit code 2 for anything the user typed wrong (commander parse errors, invalid values); 3 when
 * another processing run is live; 143 when SIGTERM stopped a run at a batch boundary; 1 otherwise.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.code === "commander.executeSubCommandAsync" ? 1 : 2;
  if (error instanceof Error && error.name === "UsageError") return 2;
  if (error instanceof Error && error.name === "RunInProgressError") return EXIT_RUN_IN_PROGRESS;
  if (error instanceof Error && error.name === "RunStoppedError") return EXIT_STOPPED;
  return 1;
}
