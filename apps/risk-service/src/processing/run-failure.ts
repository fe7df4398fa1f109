/**
 * What a failed processing run stores and shows: a code and a sentence that reveal nothing of the
 * database or driver (their messages can hold hosts, users, SQL and values); the error itself goes
 * to the service log only, under the run id.
 */
export const RUN_FAILURE_CODES = ["DATABASE_ERROR", "INTERNAL_ERROR"] as const;
export type RunFailureCode = (typeof RUN_FAILURE_CODES)[number];

export interface RunFailure {
  code: RunFailureCode;
  reason: string;
}

const REASONS: Record<RunFailureCode, string> = {
  DATABASE_ERROR: "the database refused or lost a statement; the service log has the details under this run id",
  INTERNAL_ERROR: "the run stopped on an unexpected error; the service log has the details under this run id",
};

/** better-sqlite3 (`SQLITE_*` codes), mariadb (`ER_*` codes, `sqlState`), anywhere along the cause chain. */
function isDatabaseError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    const { code, sqlState, name } = current as { code?: unknown; sqlState?: unknown; name?: unknown };
    if (typeof code === "string" && /^(SQLITE_|ER_)/.test(code)) return true;
    if (typeof sqlState === "string" || name === "SqliteError" || name === "SqlError") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export function runFailureOf(error: unknown): RunFailure {
  const code: RunFailureCode = isDatabaseError(error) ? "DATABASE_ERROR" : "INTERNAL_ERROR";
  return { code, reason: REASONS[code] };
}

/** The stored text: `CODE: reason` (processing_runs.failure_reason). */
export function storedFailure(failure: RunFailure): string {
  return `${failure.code}: ${failure.reason}`;
}

/**
 * The stored text read back. Text in any other shape (written before codes existed, it may hold a
 * driver's message) is never shown: it reads as INTERNAL_ERROR with the generic sentence.
 */
export function parseStoredFailure(text: string | null): RunFailure | null {
  if (text === null) return null;
  const [code] = text.split(": ", 1);
  const known = RUN_FAILURE_CODES.find((candidate) => candidate === code);
  if (known && text === storedFailure({ code: known, reason: REASONS[known] }))
    return { code: known, reason: REASONS[known] };
  return { code: "INTERNAL_ERROR", reason: REASONS.INTERNAL_ERROR };
}
