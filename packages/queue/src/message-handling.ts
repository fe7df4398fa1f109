import { decodeMessage, type MessageSchema } from "./message-decoder";
import { type MessageOutcome, poison, retryLater } from "./message-outcome";
import type { ReceivedMessage } from "./queue-operations";

/** A message that can never be applied, as the service's poison hook receives it. */
export interface PoisonMessage {
  sqsMessageId: string;
  body: string;
  reason: string;
  receiveCount: number;
}

/** What a service gives the consumer: its message schema, its handler and its poison hook. */
export interface MessageHandling<T> extends MessageSchema<T> {
  /**
   * Gets a batch's schema-valid messages and returns one outcome per message, in order. A throw
   * is unexpected: every message of the call is left for redelivery.
   */
  handle(messages: readonly T[]): Promise<readonly MessageOutcome[]>;
  /** Records a poison message before it is dead-lettered; if recording fails, the message is retried instead. */
  recordPoison(poison: PoisonMessage): Promise<void>;
  /**
   * Whether a schema-valid message may be trusted (its signature, its timestamp): a reason makes
   * it poison, recorded and dead-lettered without reaching the handler.
   */
  distrust?(received: ReceivedMessage, message: T): string | undefined;
}

export interface Settlement {
  message: ReceivedMessage;
  outcome: MessageOutcome;
  /** Left for redelivery because handling it failed (not because its poison could not be recorded yet). */
  failed: boolean;
}

/**
 * Decides one outcome per received message: bodies that fail to decode are poison; the others go
 * to the handler in one call; every poison message is recorded through the hook before the
 * consumer may dead-letter it.
 */
export async function settleBatch<T>(
  batch: readonly ReceivedMessage[],
  handling: MessageHandling<T>,
): Promise<Settlement[]> {
  const settlements: Settlement[] = new Array(batch.length);
  const valid: Array<{ index: number; message: T }> = [];
  for (const [index, message] of batch.entries()) {
    const decoded = decodeMessage(message.body, handling);
    const distrusted = decoded.ok ? handling.distrust?.(message, decoded.message) : undefined;
    if (decoded.ok && distrusted === undefined) valid.push({ index, message: decoded.message });
    else {
      const reason = decoded.ok ? (distrusted as string) : decoded.reason;
      settlements[index] = { message, outcome: poison(reason), failed: false };
    }
  }
  if (valid.length > 0) {
    const outcomes = await handle(
      handling,
      valid.map((v) => v.message),
    );
    for (const [i, { index }] of valid.entries()) {
      const outcome = outcomes[i] as MessageOutcome;
      settlements[index] = {
        message: batch[index] as ReceivedMessage,
        outcome,
        failed: outcome.outcome === "retryLater",
      };
    }
  }
  for (const settlement of settlements) {
    if (settlement.outcome.outcome !== "poison") continue;
    const { message, outcome } = settlement;
    try {
      await handling.recordPoison({ ...pick(message), reason: outcome.reason });
    } catch (error) {
      // Not recorded yet: a later delivery records it (or SQS dead-letters it after maxReceiveCount).
      settlement.outcome = retryLater(`poison not recorded: ${(error as Error).message}`);
    }
  }
  return settlements;
}

async function handle<T>(handling: MessageHandling<T>, messages: T[]): Promise<readonly MessageOutcome[]> {
  try {
    const outcomes = await handling.handle(messages);
    if (outcomes.length !== messages.length) {
      throw new Error(`handler returned ${outcomes.length} outcomes for ${messages.length} messages`);
    }
    return outcomes;
  } catch (error) {
    const outcome = retryLater((error as Error).message);
    return messages.map(() => outcome);
  }
}

const pick = ({ sqsMessageId, body, receiveCount }: ReceivedMessage) => ({ sqsMessageId, body, receiveCount });
