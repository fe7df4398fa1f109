import { formatCents, type HighPriorityDebtorMessage } from "@smartrecover/contracts";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApplyOutcome, createMessageApplier, type MessageApplier } from "../src/reconciliation/message-applier";
import { balancesMatch, toleranceFrom } from "../src/reconciliation/reconciliation-rules";
import type { PartnerSync } from "../src/service";
import { debtorWhere, internalOf, makeMessage, manualClock, SEED, snapshotTables } from "./support/fixtures";
import { ReconciliationModel } from "./support/reconciliation-model";
import {
  discrepancies,
  eventCount,
  inboxCount,
  inboxRows,
  partnerRecordsOf,
  poisonRows,
  syncRecordOf,
  syncRecords,
} from "./support/tables";
import { openTestService } from "./support/test-service";

const PARTNER = "acme-collections";
const onePercent = toleranceFrom(1);

describe.each(TEST_DIALECTS)("message applier on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let applier: MessageApplier;
  const clock = manualClock();

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "applier");
    sync = await openTestService(testDb.url);
    db = sync.db;
    applier = createMessageApplier(db, {
      partnerName: PARTNER,
      tolerancePercent: 1,
      simulatorSeed: SEED,
      missingProbability: 0,
      clock: clock.now,
    });
  });

  afterAll(async () => {
    await sync?.close();
    await testDb?.drop();
  });

  const discrepanciesOf = (debtorId: number) => discrepancies(db, { debtorId });

  it("when a debtor's first message is applied, then partner book, sync record, discrepancies and DETECTED events are written", async () => {
    const internal = internalOf("1000.00", "UNPAID");
    const [debtorId, book] = debtorWhere(
      1000,
      internal,
      (b) => b.status !== "UNPAID" && !balancesMatch(100_000, b.balanceCents, onePercent),
    );
    const message = makeMessage({ debtor_id: debtorId, debt_amount: "1000.00", payment_status: "UNPAID" });

    const [outcome] = await applier.applyBatch([message]);

    expect(outcome).toEqual({ messageId: message.message_id, outcome: "applied", reconciliationStatus: "DISCREPANCY" });
    expect(await partnerRecordsOf(db, debtorId)).toEqual([
      { partnerName: PARTNER, balance: formatCents(book.balanceCents), status: book.status },
    ]);
    expect(await syncRecordOf(db, debtorId)).toEqual({
      debtorId,
      partnerName: PARTNER,
      internalBalance: "1000.00",
      internalStatus: "UNPAID",
      externalBalance: formatCents(book.balanceCents),
      externalStatus: book.status,
      reconciliationStatus: "DISCREPANCY",
      lastMessageId: message.message_id,
      lastProcessedAt: message.processed_at,
    });
    const [balance, status] = await discrepanciesOf(debtorId);
    expect(balance).toMatchObject({
      type: "BALANCE_MISMATCH",
      reviewState: "OPEN",
      internalValue: "1000.00",
      externalValue: formatCents(book.balanceCents),
      sourceMessageId: message.message_id,
      occurrences: 1,
      unresolvedFlag: 1,
    });
    expect(balance?.differenceAmount).toBe(formatCents(book.balanceCents - 100_000));
    expect(balance?.tolerancePercent).toBe("1.0000");
    expect(status).toMatchObject({ type: "STATUS_MISMATCH", internalValue: "UNPAID", externalValue: book.status });
    for (const discrepancy of [balance, status]) {
      expect(discrepancy?.events.map((e) => [e.event, e.fromState, e.toState, e.actor, e.messageId])).toEqual([
        ["DETECTED", null, "OPEN", "partner-sync", message.message_id],
      ]);
      expect(discrepancy?.firstSeenAt).toBe(clock.now().toISOString());
    }
  });

  it("when the same message arrives again, then it is a duplicate and nothing changes", async () => {
    const message = makeMessage({ debtor_id: 2001, debt_amount: "500.00" });
    await applier.applyBatch([message]);
    const before = await snapshotTables(db);

    const outcomes = await applier.applyBatch([message]);

    expect(outcomes).toEqual([{ messageId: message.message_id, outcome: "duplicate" }]);
    // Every table, inbox included, holds exactly what it held.
    expect(await snapshotTables(db)).toEqual(before);
  });

  it("when a message older than the debtor's last applied one arrives, then it is stale and nothing changes", async () => {
    const newer = makeMessage({ debtor_id: 2002, debt_amount: "800.00", processed_at: "2026-03-02T10:00:00.000Z" });
    const older = makeMessage({ debtor_id: 2002, debt_amount: "9999.00", processed_at: "2026-03-02T09:59:59.999Z" });
    await applier.applyBatch([newer]);
    const before = await snapshotTables(db, ["inbox_messages"]);
    const inboxBefore = await inboxRows(db);

    expect(await applier.applyBatch([older])).toEqual([{ messageId: older.message_id, outcome: "stale" }]);

    expect(await snapshotTables(db, ["inbox_messages"])).toEqual(before);
    expect(await inboxRows(db)).toEqual(
      [...inboxBefore, { messageId: older.message_id, debtorId: 2002, outcome: "stale" }].sort(
        (a, b) => a.debtorId - b.debtorId || a.messageId.localeCompare(b.messageId),
      ),
    );
    // Recorded in the inbox, so its redelivery is a plain duplicate.
    expect(await applier.applyBatch([older])).toEqual([{ messageId: older.message_id, outcome: "duplicate" }]);
  });

  it("when the same difference is seen again, then occurrences grow and a SEEN_AGAIN event is appended", async () => {
    const internal = internalOf("2000.00", "PAID");
    const [debtorId] = debtorWhere(3000, internal, (b) => b.status !== "PAID");
    const first = makeMessage({ debtor_id: debtorId, debt_amount: "2000.00", payment_status: "PAID" });
    const second = makeMessage({
      debtor_id: debtorId,
      debt_amount: "2000.00",
      payment_status: "PAID",
      processed_at: "2026-03-05T10:00:00.000Z",
    });
    await applier.applyBatch([first]);
    clock.advanceDays(1);

    await applier.applyBatch([second]);

    const status = (await discrepanciesOf(debtorId)).filter((d) => d.type === "STATUS_MISMATCH");
    expect(status).toHaveLength(1);
    expect(status[0]).toMatchObject({
      occurrences: 2,
      sourceMessageId: first.message_id,
      lastMessageId: second.message_id,
      reviewState: "OPEN",
    });
    expect(Date.parse(status[0]?.lastSeenAt ?? "")).toBeGreaterThan(Date.parse(status[0]?.firstSeenAt ?? ""));
    expect(status[0]?.events.map((e) => [e.event, e.fromState, e.toState, e.messageId])).toEqual([
      ["DETECTED", null, "OPEN", first.message_id],
      ["SEEN_AGAIN", "OPEN", "OPEN", second.message_id],
    ]);
  });

  it("when a later message no longer shows a difference, then its discrepancy is AUTO_RESOLVED, and a new one opens if it returns", async () => {
    const internal = internalOf("3000.00", "UNPAID");
    const [debtorId, book] = debtorWhere(
      4000,
      internal,
      (b) => b.status !== "UNPAID" && !balancesMatch(300_000, b.balanceCents, onePercent),
    );
    const first = makeMessage({
      debtor_id: debtorId,
      debt_amount: "3000.00",
      payment_status: "UNPAID",
      processed_at: "2026-03-01T10:00:00.000Z",
    });
    const agreeing = makeMessage({
      debtor_id: debtorId,
      debt_amount: formatCents(book.balanceCents),
      payment_status: book.status,
      processed_at: "2026-03-02T10:00:00.000Z",
    });
    const differingAgain = makeMessage({
      debtor_id: debtorId,
      debt_amount: formatCents(book.balanceCents),
      payment_status: "UNPAID",
      processed_at: "2026-03-03T10:00:00.000Z",
    });
    await applier.applyBatch([first]);

    expect(await applier.applyBatch([agreeing])).toEqual([
      { messageId: agreeing.message_id, outcome: "applied", reconciliationStatus: "MATCHED" },
    ]);
    const resolved = await discrepanciesOf(debtorId);
    expect(resolved.map((d) => [d.type, d.reviewState, d.unresolvedFlag, d.resolvedAt !== null])).toEqual([
      ["BALANCE_MISMATCH", "AUTO_RESOLVED", null, true],
      ["STATUS_MISMATCH", "AUTO_RESOLVED", null, true],
    ]);
    expect(resolved[0]?.events.at(-1)).toMatchObject({
      event: "AUTO_RESOLVED",
      fromState: "OPEN",
      toState: "AUTO_RESOLVED",
      messageId: agreeing.message_id,
    });

    await applier.applyBatch([differingAgain]);
    const all = await discrepanciesOf(debtorId);
    expect(all.map((d) => [d.type, d.reviewState])).toEqual([
      ["BALANCE_MISMATCH", "AUTO_RESOLVED"],
      ["STATUS_MISMATCH", "AUTO_RESOLVED"],
      ["STATUS_MISMATCH", "OPEN"],
    ]);
    expect((await syncRecordOf(db, debtorId)).reconciliationStatus).toBe("DISCREPANCY");
  });

  it("when the internal balance is 0, then the balance matches only because the partner's is 0 too", async () => {
    const message = makeMessage({ debtor_id: 5001, debt_amount: "0.00", payment_status: "PAID" });
    await applier.applyBatch([message]);
    expect((await syncRecordOf(db, 5001)).externalBalance).toBe("0.00");
    const types = (await discrepanciesOf(5001)).map((d) => d.type);
    expect(types).not.toContain("BALANCE_MISMATCH");
  });

  it("when one batch holds two messages of a debtor, then they apply in order, and an older one after a newer is stale", async () => {
    const early = makeMessage({ debtor_id: 6001, debt_amount: "100.00", processed_at: "2026-03-01T10:00:00.000Z" });
    const late = makeMessage({ debtor_id: 6001, debt_amount: "200.00", processed_at: "2026-03-01T11:00:00.000Z" });
    const other = makeMessage({ debtor_id: 6002 });
    expect((await applier.applyBatch([early, other, late, early])).map((o) => o.outcome)).toEqual([
      "applied",
      "applied",
      "applied",
      "duplicate",
    ]);
    expect((await syncRecordOf(db, 6001)).lastMessageId).toBe(late.message_id);

    const newer = makeMessage({ debtor_id: 6003, processed_at: "2026-03-01T12:00:00.000Z" });
    const older = makeMessage({ debtor_id: 6003, processed_at: "2026-03-01T09:00:00.000Z" });
    expect((await applier.applyBatch([newer, older])).map((o) => o.outcome)).toEqual(["applied", "stale"]);
  });

  it("when the partner has no record of the debtor, then MISSING_AT_PARTNER is opened and seen again later", async () => {
    const missingApplier = createMessageApplier(db, {
      partnerName: PARTNER,
      tolerancePercent: "1.0",
      simulatorSeed: SEED,
      missingProbability: 1,
      clock: clock.now,
    });
    const first = makeMessage({ debtor_id: 7001 });
    const second = makeMessage({ debtor_id: 7001, processed_at: "2026-03-09T10:00:00.000Z" });
    await missingApplier.applyBatch([first]);
    // Later messages compare with the stored book (none), whatever the simulator would say now.
    await applier.applyBatch([second]);

    expect(await partnerRecordsOf(db, 7001)).toEqual([]);
    const record = await syncRecordOf(db, 7001);
    expect([record.externalBalance, record.externalStatus, record.reconciliationStatus]).toEqual([
      null,
      null,
      "DISCREPANCY",
    ]);
    const [missing, ...others] = await discrepanciesOf(7001);
    expect(others).toEqual([]);
    expect(missing).toMatchObject({
      type: "MISSING_AT_PARTNER",
      externalValue: null,
      occurrences: 2,
      internalValue: "1000.00",
    });
  });

  it("when one message breaks its batch, then the others are applied alone, a deadlock meanwhile is retried, and only the breaking one is left for later", async () => {
    const [breaking, deadlocked, fine] = [9501, 9502, 9503].map((debtorId) => makeMessage({ debtor_id: debtorId }));
    let deadlocks = 0;
    // The real database, with two faults injected into the inbox insert: one message always fails
    // it, and the first transaction of `deadlocked` on its own is chosen as a deadlock victim.
    const faulty: ServiceDatabase = {
      dialect: db.dialect,
      query: (sql, params) => db.query(sql, params),
      execute: (sql, params) => db.execute(sql, params),
      close: () => db.close(),
      transaction: (work) =>
        db.transaction((tx) =>
          work({
            dialect: tx.dialect,
            query: (sql, params) => tx.query(sql, params),
            execute: async (sql, params = []) => {
              if (params.includes(breaking?.message_id)) throw new Error("value too long for column");
              if (params.includes(deadlocked?.message_id) && deadlocks === 0) {
                deadlocks += 1;
                throw Object.assign(new Error("Deadlock found when trying to get lock"), { errno: 1213 });
              }
              return tx.execute(sql, params);
            },
          }),
        ),
    };
    const isolating = createMessageApplier(faulty, {
      partnerName: PARTNER,
      tolerancePercent: 1,
      simulatorSeed: SEED,
      missingProbability: 0,
      clock: clock.now,
      retry: { baseDelayMs: 0 },
    });

    const outcomes = await isolating.applyBatch([breaking, deadlocked, fine] as HighPriorityDebtorMessage[]);

    expect(outcomes.map((o) => [o.messageId, o.outcome])).toEqual([
      [breaking?.message_id, "retryLater"],
      [deadlocked?.message_id, "applied"],
      [fine?.message_id, "applied"],
    ]);
    expect(outcomes[0]).toMatchObject({ reason: "value too long for column" });
    expect(deadlocks).toBe(1);
    expect((await inboxRows(db, { from: 9501, to: 9504 })).map((row) => row.debtorId)).toEqual([9502, 9503]);
  });

  it("when audit rows are updated or deleted, then the database refuses", async () => {
    await applier.applyBatch([makeMessage({ debtor_id: 8001, debt_amount: "123.45", payment_status: "PARTIAL" })]);
    const before = await snapshotTables(db);
    expect(await eventCount(db)).toBeGreaterThan(0);
    await expect(db.transaction((tx) => tx.execute("UPDATE discrepancy_events SET note = 'edited'"))).rejects.toThrow(
      /append-only/,
    );
    await expect(db.transaction((tx) => tx.execute("DELETE FROM discrepancy_events"))).rejects.toThrow(/append-only/);
    expect(await snapshotTables(db)).toEqual(before);
  });

  it("when batches with overlapping debtors and repeated messages run concurrently, then every copy gets one outcome and the state is the model's", async () => {
    // 30 messages over 7 debtors, newer as the index grows; each debtor has one amount and status,
    // so the partner's book does not depend on which of its messages is applied first.
    const messages = Array.from({ length: 30 }, (_, i) =>
      makeMessage({
        debtor_id: 9000 + (i % 7),
        debt_amount: `${1000 + (i % 7) * 137}.50`,
        payment_status: (["UNPAID", "PARTIAL", "PAID"] as const)[(i % 7) % 3],
        processed_at: `2026-04-01T10:00:${String(i).padStart(2, "0")}.000Z`,
      }),
    );
    const batches = [
      messages.slice(0, 10),
      messages.slice(10, 20),
      messages.slice(20, 30),
      messages.slice(5, 15),
      messages.slice(0, 10),
    ];

    const results = (await Promise.all(batches.map((batch) => applier.applyBatch(batch)))).flat();

    // 50 copies of 30 messages: whatever the interleaving, each message has exactly one outcome
    // that is not "duplicate", and the other 20 copies are duplicates.
    const byMessage = new Map<string, ApplyOutcome["outcome"][]>();
    for (const r of results) byMessage.set(r.messageId, [...(byMessage.get(r.messageId) ?? []), r.outcome]);
    expect(results).toHaveLength(50);
    expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength(20);
    expect(results.filter((r) => r.outcome === "retryLater")).toEqual([]);
    expect([...byMessage.keys()].sort()).toEqual(messages.map((m) => m.message_id).sort());
    for (const outcomes of byMessage.values()) expect(outcomes.filter((o) => o !== "duplicate")).toHaveLength(1);
    // The inbox says the same, message by message.
    const firstOutcome = (id: string) => byMessage.get(id)?.find((o) => o !== "duplicate");
    expect(await inboxRows(db, { from: 9000, to: 9007 })).toEqual(
      expect.arrayContaining(
        messages.map((m) => ({ messageId: m.message_id, debtorId: m.debtor_id, outcome: firstOutcome(m.message_id) })),
      ),
    );
    expect(await inboxCount(db, "debtor_id >= ? AND debtor_id < ?", [9000, 9007])).toBe(30);

    // The model applies each debtor's applied messages in time order (the only order in which
    // none of them is stale); its sync records and discrepancies must be the database's.
    const model = new ReconciliationModel(SEED, 0, 10_000);
    const applied = messages.filter((m) => firstOutcome(m.message_id) === "applied");
    for (const message of applied) expect(model.apply(message)).toBe("applied");
    expect(applied.length).toBeGreaterThanOrEqual(7);
    const stored = await syncRecords(db, { from: 9000, to: 9007 });
    expect(
      stored.map((r) => [r.debtorId, r.internalBalance, r.internalStatus, r.reconciliationStatus, r.lastMessageId]),
    ).toEqual(
      [...model.debtors.entries()]
        .sort(([a], [b]) => a - b)
        .map(([id, d]) => [id, formatCents(d.internal.balanceCents), d.internal.status, d.status, d.messageId]),
    );
    expect(stored.map((r) => r.lastMessageId)).toEqual(
      Array.from({ length: 7 }, (_, d) => messages.filter((m) => m.debtor_id === 9000 + d).at(-1)?.message_id),
    );
    const found = (await Promise.all(Array.from({ length: 7 }, (_, d) => discrepanciesOf(9000 + d)))).flat();
    const shape = (d: { debtorId: number; type: string; state: string; occurrences: number; events: string[] }) =>
      `${d.debtorId}/${d.type}/${d.state}/${d.occurrences}/${d.events.join(",")}`;
    expect(
      found.map((d) => shape({ ...d, state: d.reviewState, events: d.events.map((e) => e.event) })).sort(),
    ).toEqual(model.discrepancies.map(shape).sort());
  });

  it("when a poison message is recorded twice, then one row keeps the body, the reason and the latest receive count", async () => {
    const body = JSON.stringify({ message_id: "bad-1", schema_version: 99 });
    await applier.recordPoison({ sqsMessageId: "sqs-1", body, reason: "schema_version: expected 1", receiveCount: 1 });
    await applier.recordPoison({ sqsMessageId: "sqs-1", body, reason: "schema_version: expected 1", receiveCount: 2 });
    await applier.recordPoison({ sqsMessageId: "sqs-2", body: "not json", reason: "malformed JSON" });

    const rows = await poisonRows(db);
    expect(rows.map((r) => [r.sqsMessageId, r.messageId, r.body, r.receiveCount])).toEqual([
      ["sqs-1", "bad-1", body, 2],
      ["sqs-2", null, "not json", null],
    ]);
  });
});
