import type { HighPriorityDebtorMessage, PaymentStatus } from "@smartrecover/contracts";
import type { SqlExecutor } from "@smartrecover/db-kit";
import { tableContents } from "@smartrecover/db-kit/testing";
import { type PartnerBook, simulatePartnerRecord } from "../../src/reconciliation/partner-simulator";

export const SEED = 42;

export const internalOf = (amount: string, status: PaymentStatus): PartnerBook => ({
  balanceCents: Math.round(Number(amount) * 100),
  status,
});

/** The first debtor id from `from` whose simulated partner book (seed SEED) satisfies `wanted`. */
export function debtorWhere(
  from: number,
  internal: PartnerBook,
  wanted: (book: PartnerBook) => boolean,
): [number, PartnerBook] {
  for (let id = from; id < from + 10_000; id += 1) {
    const book = simulatePartnerRecord({ seed: SEED, missingProbability: 0 }, id, internal);
    if (book && wanted(book)) return [id, book];
  }
  throw new Error("no such debtor in range");
}

let sequence = 0;

/** A schema-valid queue message; unique message_id unless given. */
export function makeMessage(overrides: Partial<HighPriorityDebtorMessage> = {}): HighPriorityDebtorMessage {
  sequence += 1;
  return {
    message_id: `msg-${sequence}-${Math.random().toString(36).slice(2, 10)}`,
    schema_version: 1,
    run_id: "run-1",
    debtor_id: 1,
    debt_amount: "1000.00",
    risk_score: 377,
    risk_level: "CRITICAL",
    priority: "377000.00",
    payment_status: "UNPAID",
    processed_at: "2026-03-01T10:00:00.000Z",
    ...overrides,
  };
}

/**
 * Every table's full content (db-kit's tableContents), minus the tables a step may legitimately
 * change: equal snapshots mean nothing else changed, row by row and column by column.
 */
export async function snapshotTables(db: SqlExecutor, except: readonly string[] = []) {
  const contents = await tableContents(db);
  for (const table of except) delete contents[table];
  return contents;
}

/** A clock the test moves by hand. */
export function manualClock(start = "2026-03-01T12:00:00.000Z") {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    advanceDays(days: number) {
      now = new Date(now.getTime() + days * 86_400_000);
    },
    set(iso: string) {
      now = new Date(iso);
    },
  };
}
