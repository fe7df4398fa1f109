import type { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import type { BatchHandler, MessageVerdict, QueueLogger, ReceivedMessage } from "@smartrecover/queue";
import { ApplyBatchError, type ApplyOutcome, type MessageApplier } from "../reconciliation/message-applier";
import { decodeMessage } from "./message-decoder";

export interface HandlerCounts {
  applied: number;
  duplicate: number;
  stale: number;
  poison: number;
  failed: number;
}

export interface DebtorMessageHandler {
  readonly handle: BatchHandler;
  readonly counts: HandlerCounts;
}

/**
 * Turns SQS batches into reconciliation: valid messages go to the applier in one call (its
 * commit is what makes them deletable); malformed or schema-invalid ones are recorded as
 * poison and dead-lettered at once; anything that failed to commit is left for redelivery.
 */
export function createDebtorMessageHandler(
  applier: Pick<MessageApplier, "applyBatch" | "recordPoison">,
  options: { logger?: QueueLogger } = {},
): DebtorMessageHandler {
  const counts: HandlerCounts = { applied: 0, duplicate: 0, stale: 0, poison: 0, failed: 0 };
  const count = (outcome: ApplyOutcome) => {
    counts[outcome.outcome] += 1;
  };

  const handle: BatchHandler = async (batch) => {
    const verdicts: MessageVerdict[] = new Array(batch.length);
    const valid: Array<{ index: number; message: HighPriorityDebtorMessage }> = [];
    for (const [index, received] of batch.entries()) {
      const decoded = decodeMessage(received.body);
      if (decoded.ok) valid.push({ index, message: decoded.message });
      else verdicts[index] = await poison(received, decoded.reason);
    }
    if (valid.length === 0) return verdicts;
    try {
      const outcomes = await applier.applyBatch(valid.map((v) => v.message));
      for (const [i, { index }] of valid.entries()) {
        count(outcomes[i] as ApplyOutcome);
        verdicts[index] = { action: "delete" };
      }
    } catch (error) {
      // Partial failure: what committed may go; the rest waits for redelivery.
      const outcomes = error instanceof ApplyBatchError ? error.outcomes : [];
      const reason = (error as Error).message;
      for (const [i, { index, message }] of valid.entries()) {
        const outcome = outcomes[i];
        if (outcome) {
          count(outcome);
          verdicts[index] = { action: "delete" };
        } else {
          counts.failed += 1;
          verdicts[index] = { action: "retry", reason };
          options.logger?.warn(
            { messageId: message.message_id, sqsMessageId: batch[index]?.sqsMessageId, error: reason },
            "message not applied; left for redelivery",
          );
        }
      }
    }
    return verdicts;
  };

  const poison = async (received: ReceivedMessage, reason: string): Promise<MessageVerdict> => {
    try {
      await applier.recordPoison({
        sqsMessageId: received.sqsMessageId,
        body: received.body,
        reason,
        receiveCount: received.receiveCount,
      });
    } catch (error) {
      // Not recorded yet: retry, so a later delivery records it (or SQS dead-letters it after maxReceiveCount).
      return { action: "retry", reason: `poison not recorded: ${(error as Error).message}` };
    }
    counts.poison += 1;
    options.logger?.warn({ sqsMessageId: received.sqsMessageId, reason }, "poison message dead-lettered");
    return { action: "dead-letter", reason };
  };

  return { handle, counts };
}
