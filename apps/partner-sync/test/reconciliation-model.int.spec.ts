import type { HighPriorityDebtorMessage, PaymentStatus } from "@smartrecover/contracts";
import { PAYMENT_STATUSES } from "@smartrecover/contracts";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageApplier } from "../src/reconciliation/message-applier";
import type { PartnerSync } from "../src/service";
import { SEED } from "./support/fixtures";
import { ReconciliationModel } from "./support/reconciliation-model";
import { discrepancies, inboxCount, syncRecords } from "./support/tables";
import { openTestService } from "./support/test-service";

/** One step of a generated scenario; amounts near the partner's balance are resolved against the model. */
interface Step {
  debtor: number;
  amount: { kind: "fixed"; text: string } | { kind: "boundary"; outside: boolean; below: boolean };
  status: PaymentStatus;
  minutes: number;
  repeat: number | null;
}

const step: fc.Arbitrary<Step> = fc.record({
  debtor: fc.integer({ min: 1, max: 4 }),
  amount: fc.oneof(
    fc.constantFrom("0.00", "0.01", "100.00", "100.50", "2500.00").map((text) => ({ kind: "fixed" as const, text })),
    fc.record({ kind: fc.constant("boundary" as const), outside: fc.boolean(), below: fc.boolean() }),
  ),
  status: fc.constantFrom(...PAYMENT_STATUSES),
  // Minutes since the scenario start: steps are not in time order, so some are stale.
  minutes: fc.integer({ min: 0, max: 30 }),
  // Re-send an earlier message instead (a duplicate), by index among those generated so far.
  repeat: fc.option(fc.nat(40), { freq: 4 }),
});

const scenario = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 40 }),
  batchSizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 40, maxLength: 40 }),
  tolerance: fc.constantFrom(0, 1, 5_000, 10_000, 12_345, 50_000, 1_000_000),
  missingProbability: fc.constantFrom(0, 0.3),
});

describe.each(TEST_DIALECTS)("generated message sequences on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let run = 0;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "model");
    sync = await openTestService(testDb.url);
    db = sync.db;
  });

  afterAll(async () => {
    await sync?.close();
    await testDb?.drop();
  });

  it("when any sequence of messages, duplicates and stale ones is applied in batches, then the database equals the domain.md §8 model", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ steps, batchSizes, tolerance, missingProbability }) => {
        run += 1;
        // Each run is its own partner, so runs share the database without seeing each other.
        const partner = `model-${run}`;
        const tolerancePercent = `${Math.floor(tolerance / 10_000)}.${String(tolerance % 10_000).padStart(4, "0")}`;
        const model = new ReconciliationModel(SEED, missingProbability, tolerance);
        const applier = createMessageApplier(db, {
          partnerName: partner,
          tolerancePercent,
          simulatorSeed: SEED,
          missingProbability,
        });

        const messages: HighPriorityDebtorMessage[] = [];
        const expected: string[] = [];
        for (const [index, s] of steps.entries()) {
          const earlier = s.repeat === null ? undefined : messages[s.repeat % Math.max(1, messages.length)];
          const book = model.bookOf(s.debtor);
          const amount =
            s.amount.kind === "fixed" || !book
              ? s.amount.kind === "fixed"
                ? s.amount.text
                : "100.00"
              : ReconciliationModel.boundaryAmount(book, tolerance, s.amount.outside, s.amount.below);
          const message = earlier ?? {
            message_id: `${partner}-m${index}`,
            schema_version: 1 as const,
            run_id: partner,
            debtor_id: s.debtor,
            debt_amount: amount,
            risk_score: 300,
            risk_level: "HIGH" as const,
            priority: "1.00",
            payment_status: s.status,
            processed_at: new Date(Date.UTC(2026, 0, 1, 0, s.minutes)).toISOString(),
          };
          messages.push(message);
          expected.push(model.apply(message));
        }

        const outcomes: string[] = [];
        let next = 0;
        for (const size of batchSizes) {
          if (next >= messages.length) break;
          const batch = messages.slice(next, next + size);
          next += batch.length;
          outcomes.push(...(await applier.applyBatch(batch)).map((o) => o.outcome));
        }
        expect(outcomes).toEqual(expected);

        const records = await syncRecords(db, { partnerName: partner });
        expect(
          records.map((r) => [
            r.debtorId,
            r.internalBalance,
            r.internalStatus,
            r.externalBalance,
            r.reconciliationStatus,
            r.lastMessageId,
          ]),
        ).toEqual(
          [...model.debtors.entries()]
            .sort(([a], [b]) => a - b)
            .map(([id, d]) => [
              id,
              (d.internal.balanceCents / 100).toFixed(2),
              d.internal.status,
              d.book ? (d.book.balanceCents / 100).toFixed(2) : null,
              d.status,
              d.messageId,
            ]),
        );
        const stored = await discrepancies(db, { partnerName: partner });
        // Per debtor in detection order; across debtors a batch may interleave them differently.
        const byDebtor = <T extends { debtorId: number }>(rows: T[]) =>
          [...rows].sort((a, b) => a.debtorId - b.debtorId);
        expect(
          byDebtor(stored).map((d) => [d.debtorId, d.type, d.reviewState, d.occurrences, d.events.map((e) => e.event)]),
        ).toEqual(byDebtor(model.discrepancies).map((d) => [d.debtorId, d.type, d.state, d.occurrences, d.events]));
        expect(await inboxCount(db, "message_id LIKE ?", [`${partner}-%`])).toBe(model.inbox.size);
      }),
      { numRuns: dialect === "sqlite" ? 60 : 20 },
    );
  });
});
