import type { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import { describe, expect, it } from "vitest";
import type { ApplyOutcome } from "../reconciliation/message-applier";
import { coalesceApplies } from "./apply-coalescer";

const message = (id: string) => ({ message_id: id, debtor_id: 1 }) as HighPriorityDebtorMessage;
const applied = (m: HighPriorityDebtorMessage): ApplyOutcome => ({
  messageId: m.message_id,
  outcome: "applied",
  reconciliationStatus: "MATCHED",
});

/** An applier whose transactions wait for release(); it records each transaction's message ids. */
function gatedApplier(fail: (id: string) => boolean = () => false) {
  const transactions: string[][] = [];
  let release: () => void = () => {};
  let gate = Promise.resolve();
  return {
    transactions,
    hold() {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    release: () => release(),
    applier: {
      async applyBatch(messages: readonly HighPriorityDebtorMessage[]) {
        transactions.push(messages.map((m) => m.message_id));
        await gate;
        return messages.map(
          (m): ApplyOutcome =>
            fail(m.message_id)
              ? { messageId: m.message_id, outcome: "retryLater", reason: `cannot apply ${m.message_id}` }
              : applied(m),
        );
      },
    },
  };
}

describe("coalesceApplies", () => {
  it("when callers arrive while a transaction runs, then they share the next one and each gets its own outcomes", async () => {
    const db = gatedApplier();
    const coalesced = coalesceApplies(db.applier, { maxMessages: 100, maxParallel: 1 });
    db.hold();
    const first = coalesced.applyBatch([message("a1")]);
    const second = coalesced.applyBatch([message("b1"), message("b2")]);
    const third = coalesced.applyBatch([message("c1")]);
    db.release();

    expect((await first).map((o) => o.messageId)).toEqual(["a1"]);
    expect((await second).map((o) => o.messageId)).toEqual(["b1", "b2"]);
    expect((await third).map((o) => o.messageId)).toEqual(["c1"]);
    expect(db.transactions).toEqual([["a1"], ["b1", "b2", "c1"]]);
  });

  it("when merging would pass maxMessages, then the caller waits for a later transaction", async () => {
    const db = gatedApplier();
    const coalesced = coalesceApplies(db.applier, { maxMessages: 2, maxParallel: 1 });
    db.hold();
    const calls = [["a"], ["b", "c"], ["d"], ["e"]].map((ids) => coalesced.applyBatch(ids.map(message)));
    db.release();
    await Promise.all(calls);
    expect(db.transactions).toEqual([["a"], ["b", "c"], ["d", "e"]]);
  });

  it("when part of a merged transaction fails, then each caller gets just its own outcomes, failures included", async () => {
    const db = gatedApplier((id) => id === "b2");
    const coalesced = coalesceApplies(db.applier, { maxMessages: 100, maxParallel: 1 });
    db.hold();
    const warmUp = coalesced.applyBatch([message("w")]);
    const clean = coalesced.applyBatch([message("a1")]);
    const partial = coalesced.applyBatch([message("b1"), message("b2")]);
    db.release();
    await warmUp;

    expect((await clean).map((o) => [o.messageId, o.outcome])).toEqual([["a1", "applied"]]);
    expect(await partial).toEqual([
      { messageId: "b1", outcome: "applied", reconciliationStatus: "MATCHED" },
      { messageId: "b2", outcome: "retryLater", reason: "cannot apply b2" },
    ]);
    expect(db.transactions).toEqual([["w"], ["a1", "b1", "b2"]]);
  });

  it("when gatherOneTurn is set, then batches arriving in the same turn share the first transaction", async () => {
    const db = gatedApplier();
    const coalesced = coalesceApplies(db.applier, { maxMessages: 3, maxParallel: 1, gatherOneTurn: true });
    const calls = [["a"], ["b", "c"], ["d"]].map((ids) => coalesced.applyBatch(ids.map(message)));
    expect(db.transactions).toEqual([]);
    const outcomes = await Promise.all(calls);

    expect(outcomes.map((list) => list.map((o) => o.messageId))).toEqual([["a"], ["b", "c"], ["d"]]);
    expect(db.transactions).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("when the applier fails unexpectedly, then each caller of that transaction is rejected with the error", async () => {
    const coalesced = coalesceApplies(
      {
        applyBatch: async () => {
          throw new Error("database unavailable");
        },
      },
      { maxMessages: 100, maxParallel: 1 },
    );
    const results = await Promise.allSettled([
      coalesced.applyBatch([message("a")]),
      coalesced.applyBatch([message("b")]),
    ]);
    expect(results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "ok"))).toEqual([
      "database unavailable",
      "database unavailable",
    ]);
  });
});
