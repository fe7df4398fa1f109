import { randomUUID } from "node:crypto";
import { type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import type { ServiceDatabase } from "@smartrecover/db-kit";

/** A valid queue message for debtor `debtorId` (domain.md §6). */
export function queueMessage(runId: string, debtorId: number): HighPriorityDebtorMessage {
  return {
    message_id: randomUUID(),
    schema_version: 1,
    run_id: runId,
    debtor_id: debtorId,
    debt_amount: "30000.00",
    risk_score: 377,
    risk_level: "CRITICAL",
    priority: "11310000.00",
    payment_status: "UNPAID",
    processed_at: new Date().toISOString(),
  };
}

/** Writes `count` pending outbox rows, as a processing batch would; returns their messages. */
export async function writeOutboxRows(db: ServiceDatabase, count: number, firstDebtorId = 1) {
  const runId = randomUUID();
  const messages = Array.from({ length: count }, (_, i) => queueMessage(runId, firstDebtorId + i));
  const at = new Date();
  await db.transaction(async (tx) => {
    for (const m of messages) {
      await tx.execute(
        "INSERT INTO outbox_messages (message_id, run_id, debtor_id, payload, created_at, attempts) VALUES (?, ?, ?, ?, ?, ?)",
        [m.message_id, runId, m.debtor_id, JSON.stringify(m), at, 0],
      );
    }
  });
  return messages;
}

/** Receives (and deletes nothing) until the queue answers empty; bounded by `max`. */
export async function receiveAll(sqs: SQSClient, queueUrl: string, max = 100_000): Promise<Message[]> {
  const all: Message[] = [];
  while (all.length < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 300,
        MessageAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) break;
    all.push(...Messages);
  }
  return all;
}
