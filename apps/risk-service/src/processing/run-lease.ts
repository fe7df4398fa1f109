import { ConflictError } from "@smartrecover/service-kit";
import type { LiveRun } from "./processing.repository";

/** The one line a second run is told: which run is live, whose it is and since when. */
export function describeLiveRun(live: LiveRun): string {
  return `processing run ${live.runId} is still running (owner ${live.owner}, started_at ${live.startedAt.toISOString()})`;
}

/**
 * Another run holds the processing lease. The API answers 409; the CLI exits 3 (exit-codes.ts
 * maps it by name, as the CLI app does not import the services' classes).
 */
export class RunInProgressError extends ConflictError {
  constructor(readonly live: LiveRun) {
    super(describeLiveRun(live));
  }
}

/** The run's lease expired and another run took it; this run stops and commits nothing more. */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor(runId: string) {
    super(`processing run ${runId} lost its lease (it stalled past PROCESSING_LEASE_SECONDS) and stopped`);
  }
}
