import { describe, expect, it } from "vitest";
import { withTransactionRetry } from "./transaction-retry";

const deadlock = () => Object.assign(new Error("Deadlock found when trying to get lock"), { errno: 1213 });
const lockWait = () => Object.assign(new Error("Lock wait timeout exceeded"), { errno: 1205 });
const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
const policy = { contendedAttempts: 6, otherAttempts: 2, baseDelayMs: 0 };

/** Work that fails with the given errors in turn, then succeeds; it records each attempt. */
function failing(errors: Array<() => Error>, reachDatabase = true) {
  const attempts: number[] = [];
  const work = async (attempt: { reachedDatabase: boolean }) => {
    attempts.push(attempts.length + 1);
    attempt.reachedDatabase = reachDatabase;
    const next = errors[attempts.length - 1];
    if (next) throw next();
    return "done";
  };
  return { attempts, work };
}

describe("withTransactionRetry", () => {
  it("when deadlocks, lock-wait timeouts and busy errors clear up, then the work is retried until it succeeds", async () => {
    const run = failing([deadlock, lockWait, busy, deadlock, deadlock]);
    expect(await withTransactionRetry(run.work, policy)).toEqual({ ok: true, value: "done" });
    expect(run.attempts).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("when contention outlasts its attempts, then the last error is returned, not thrown", async () => {
    const run = failing(Array.from({ length: 10 }, () => deadlock));
    const result = await withTransactionRetry(run.work, policy);
    expect(result).toMatchObject({ ok: false, reachedDatabase: true, error: { errno: 1213 } });
    expect(run.attempts).toHaveLength(6);
  });

  it("when another error repeats, then it gets only the smaller number of attempts", async () => {
    const run = failing([() => new Error("constraint"), () => new Error("constraint"), () => new Error("constraint")]);
    const result = await withTransactionRetry(run.work, policy);
    expect(result).toMatchObject({ ok: false, error: { message: "constraint" } });
    expect(run.attempts).toHaveLength(2);
  });

  it("when the work never got a transaction, then the result says the database was not reached", async () => {
    const run = failing([() => new Error("pool timeout"), () => new Error("pool timeout")], false);
    expect(await withTransactionRetry(run.work, policy)).toMatchObject({ ok: false, reachedDatabase: false });
  });
});
