import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type MessageHandling, type PoisonMessage, settleBatch } from "./message-handling";
import { type MessageOutcome, poison, retryLater } from "./message-outcome";
import type { ReceivedMessage } from "./queue-operations";

const Message = z.object({ id: z.string(), amount: z.number().int() }).strict();
type Message = z.infer<typeof Message>;

const received = (body: string, index: number): ReceivedMessage => ({
  sqsMessageId: `sqs-${index}`,
  receiptHandle: `rh-${index}`,
  body,
  receiveCount: index + 1,
});
const batchOf = (...bodies: string[]) => bodies.map(received);
const json = (message: Message) => JSON.stringify(message);

/** A handling whose handler and poison hook record what they were given. */
function handling(
  handle: (messages: readonly Message[]) => Promise<readonly MessageOutcome[]>,
  recordPoison: (poison: PoisonMessage) => Promise<void> = async () => {},
) {
  const handled: Message[][] = [];
  const recorded: PoisonMessage[] = [];
  const spec: MessageHandling<Message> = {
    schema: Message,
    handle: (messages) => {
      handled.push([...messages]);
      return handle(messages);
    },
    recordPoison: async (p) => {
      await recordPoison(p);
      recorded.push(p);
    },
  };
  return { spec, handled, recorded };
}

const outcomesOf = (settlements: Awaited<ReturnType<typeof settleBatch>>) =>
  settlements.map((s) => [s.message.sqsMessageId, s.outcome, s.failed]);

describe("settleBatch", () => {
  it("when every body is valid, then the handler gets them decoded in one call and each message keeps its own outcome", async () => {
    const h = handling(async (messages) =>
      messages.map((m): MessageOutcome => ({ outcome: m.amount > 0 ? "applied" : "stale" })),
    );
    const settled = await settleBatch(batchOf(json({ id: "a", amount: 1 }), json({ id: "b", amount: 0 })), h.spec);

    expect(h.handled).toEqual([
      [
        { id: "a", amount: 1 },
        { id: "b", amount: 0 },
      ],
    ]);
    expect(outcomesOf(settled)).toEqual([
      ["sqs-0", { outcome: "applied" }, false],
      ["sqs-1", { outcome: "stale" }, false],
    ]);
    expect(h.recorded).toEqual([]);
  });

  it("when bodies are malformed or break the schema, then they are poison, recorded with their reason, and never reach the handler", async () => {
    const h = handling(async (messages) => messages.map((): MessageOutcome => ({ outcome: "duplicate" })));
    const bodies = ["{ not json", json({ id: "ok", amount: 2 }), JSON.stringify({ id: "x", amount: "2" })];
    const settled = await settleBatch(batchOf(...bodies), h.spec);

    expect(h.handled).toEqual([[{ id: "ok", amount: 2 }]]);
    expect(outcomesOf(settled)).toEqual([
      ["sqs-0", { outcome: "poison", reason: "malformed JSON at position 2 (line 1 column 3)" }, false],
      ["sqs-1", { outcome: "duplicate" }, false],
      ["sqs-2", { outcome: "poison", reason: expect.stringMatching(/^schema: amount: /) }, false],
    ]);
    expect(h.recorded).toEqual([
      { sqsMessageId: "sqs-0", body: bodies[0], receiveCount: 1, reason: expect.stringMatching(/^malformed JSON/) },
      { sqsMessageId: "sqs-2", body: bodies[2], receiveCount: 3, reason: expect.stringMatching(/^schema:/) },
    ]);
  });

  it("when the handler calls a decoded message poison, then it is recorded like a malformed one", async () => {
    const h = handling(async (messages) => messages.map(() => poison("amount out of range")));
    const settled = await settleBatch(batchOf(json({ id: "a", amount: 7 })), h.spec);
    expect(outcomesOf(settled)).toEqual([["sqs-0", { outcome: "poison", reason: "amount out of range" }, false]]);
    expect(h.recorded.map((p) => p.reason)).toEqual(["amount out of range"]);
  });

  it("when recording a poison message fails, then it is left for redelivery instead of being dead-lettered unrecorded", async () => {
    const h = handling(
      async () => [],
      async () => {
        throw new Error("database locked");
      },
    );
    const settled = await settleBatch(batchOf("not json"), h.spec);
    expect(outcomesOf(settled)).toEqual([
      ["sqs-0", { outcome: "retryLater", reason: "poison not recorded: database locked" }, false],
    ]);
  });

  it("when the handler returns retryLater for some, then only those are left for redelivery, counted as failed", async () => {
    const h = handling(async (messages) =>
      messages.map((m): MessageOutcome => (m.id === "b" ? retryLater("deadlock") : { outcome: "applied" })),
    );
    const settled = await settleBatch(batchOf(json({ id: "a", amount: 1 }), json({ id: "b", amount: 1 })), h.spec);
    expect(outcomesOf(settled)).toEqual([
      ["sqs-0", { outcome: "applied" }, false],
      ["sqs-1", { outcome: "retryLater", reason: "deadlock" }, true],
    ]);
  });

  it("when the handler throws, then every valid message is left for redelivery with the error and poison stays poison", async () => {
    const h = handling(async () => {
      throw new Error("connection lost");
    });
    const settled = await settleBatch(batchOf(json({ id: "a", amount: 1 }), "[]"), h.spec);
    expect(outcomesOf(settled)).toEqual([
      ["sqs-0", { outcome: "retryLater", reason: "connection lost" }, true],
      ["sqs-1", { outcome: "poison", reason: expect.stringMatching(/^schema: \(root\)/) }, false],
    ]);
  });

  it("when the handler returns fewer outcomes than messages, then none of them is trusted and all are retried", async () => {
    const h = handling(async () => [{ outcome: "applied" }]);
    const settled = await settleBatch(batchOf(json({ id: "a", amount: 1 }), json({ id: "b", amount: 1 })), h.spec);
    expect(settled.map((s) => s.outcome)).toEqual([
      retryLater("handler returned 1 outcomes for 2 messages"),
      retryLater("handler returned 1 outcomes for 2 messages"),
    ]);
  });

  it("when every body is poison, then the handler is not called", async () => {
    const h = handling(async () => {
      throw new Error("must not be called");
    });
    await settleBatch(batchOf("x", "y"), h.spec);
    expect(h.handled).toEqual([]);
    expect(h.recorded).toHaveLength(2);
  });
});
