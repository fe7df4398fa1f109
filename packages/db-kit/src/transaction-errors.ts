/** Driver codes of a transaction that lost a lock race and may simply be run again. */
const RETRYABLE_CODES = new Set([
  "ER_LOCK_DEADLOCK", // 1213: InnoDB chose this transaction as a deadlock victim and rolled it back
  "ER_LOCK_WAIT_TIMEOUT", // 1205: waited innodb_lock_wait_timeout for a row lock
  "SQLITE_BUSY", // another connection held the write lock for the whole busy timeout
  "SQLITE_BUSY_SNAPSHOT",
  "SQLITE_BUSY_RECOVERY",
  "SQLITE_BUSY_TIMEOUT",
]);
const RETRYABLE_ERRNOS = new Set([1213, 1205]);

/**
 * A deadlock or lock-wait timeout: the transaction was rolled back as a whole and running it
 * again may succeed. `code` is the driver's code; `cause` the driver's error.
 */
export class RetryableTransactionError extends Error {
  override name = "RetryableTransactionError";
  readonly code: string;

  constructor(cause: Error & { code?: string }) {
    super(cause.message, { cause });
    this.code = cause.code ?? "UNKNOWN";
  }
}

function driverCode(error: unknown): { code?: unknown; errno?: unknown } {
  return typeof error === "object" && error !== null ? (error as { code?: unknown; errno?: unknown }) : {};
}

/** True for a deadlock or lock-wait timeout (either dialect), wrapped or as the driver threw it. */
export function isRetryableTransactionError(error: unknown): boolean {
  if (error instanceof RetryableTransactionError) return true;
  const { code, errno } = driverCode(error);
  return (
    (typeof code === "string" && RETRYABLE_CODES.has(code)) ||
    (typeof errno === "number" && RETRYABLE_ERRNOS.has(errno))
  );
}

/** The driver's error, typed as retryable when it is one; every other error unchanged. */
export function classifyDatabaseError(error: unknown): unknown {
  if (error instanceof RetryableTransactionError || !(error instanceof Error)) return error;
  return isRetryableTransactionError(error) ? new RetryableTransactionError(error) : error;
}

/** The error a transaction handle gives once its transaction has committed or rolled back. */
export function closedHandleError(): Error {
  return new Error("SQL executor used after its transaction ended");
}
