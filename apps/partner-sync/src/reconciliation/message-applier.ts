import type { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import type { PartnerSyncDatabase } from "../db/partner-sync-database";
import { type PoisonMessageInput, recordPoisonMessage } from "../poison-messages/poison-message.repository";
import { writeBatchPlan } from "./apply-plan.repository";
import { type PlanContext, type PlannedOutcome, planBatch } from "./apply-planner";
import { toleranceFrom } from "./reconciliation-rules";
import { loadBatchState } from "./sync-state.repository";
import { type Attempt, type RetryPolicy, withTransactionRetry } from "./transaction-retry";

export type { PoisonMessageInput } from "../poison-messages/poison-message.repository";

/** One message's outcome: what its plan did, or why it was not committed and must be retried later. */
export type ApplyOutcome = PlannedOutcome | { messageId: string; outcome: "retryLater"; reason: string };

export interface MessageApplierOptions {
  partnerName: string;
  /** Percent; negative throws, above 100 is treated as 100 (domain.md §8). */
  tolerancePercent: number | string;
  simulatorSeed: number;
  missingProbability: number;
  clock?: () => Date;
  retry?: Partial<RetryPolicy>;
}

export interface MessageApplier {
  /**
   * Applies schema-valid messages and returns one outcome per message, in order. Every message
   * whose outcome is not retryLater is committed with its inbox row when this resolves.
   */
  applyBatch(messages: readonly HighPriorityDebtorMessage[]): Promise<ApplyOutcome[]>;
  recordPoison(input: PoisonMessageInput): Promise<void>;
}

export function createMessageApplier(db: PartnerSyncDatabase, options: MessageApplierOptions): MessageApplier {
  const tolerance = toleranceFrom(options.tolerancePercent);
  if (options.partnerName.length === 0 || options.partnerName.length > 64) {
    throw new RangeError("partner name must be 1–64 characters");
  }
  const clock = options.clock ?? (() => new Date());
  const retry = options.retry ?? {};

  // One transaction for the whole batch: far fewer statements and commits than one per message.
  const applyInOneTransaction = (messages: readonly HighPriorityDebtorMessage[], attempt: Attempt) =>
    db.transaction(async (tx) => {
      attempt.reachedDatabase = true;
      const now = clock();
      const context: PlanContext = {
        partnerName: options.partnerName,
        tolerance,
        simulator: { seed: options.simulatorSeed, missingProbability: options.missingProbability },
        now,
      };
      const outcomes: PlannedOutcome[] = new Array(messages.length);
      for (const part of splitByDebtor(messages)) {
        const parts = part.map((index) => messages[index] as HighPriorityDebtorMessage);
        const state = await loadBatchState(
          tx,
          db.dialect,
          options.partnerName,
          [...new Set(parts.map((message) => message.message_id))],
          [...new Set(parts.map((message) => message.debtor_id))],
        );
        const plan = planBatch(parts, state, context);
        await writeBatchPlan(tx, db.dialect, plan, context);
        plan.outcomes.forEach((outcome, i) => {
          outcomes[part[i] as number] = outcome;
        });
      }
      return outcomes;
    });

  const applyBatch = async (messages: readonly HighPriorityDebtorMessage[]): Promise<ApplyOutcome[]> => {
    if (messages.length === 0) return [];
    const whole = await withTransactionRetry((attempt) => applyInOneTransaction(messages, attempt), retry);
    if (whole.ok) return whole.value;
    // A database that was never reached (no connection, no lock) fails each message alike: isolating is pointless.
    if (messages.length === 1 || !whole.reachedDatabase) return messages.map((m) => retryLater(m, whole.error));
    // Isolate the message that keeps failing so it does not hold back the rest of its batch.
    const outcomes: ApplyOutcome[] = [];
    for (const [index, message] of messages.entries()) {
      const alone = await withTransactionRetry((attempt) => applyInOneTransaction([message], attempt), retry);
      if (alone.ok) {
        outcomes.push(alone.value[0] as PlannedOutcome);
        continue;
      }
      if (!alone.reachedDatabase) {
        outcomes.push(...messages.slice(index).map((m) => retryLater(m, alone.error)));
        break;
      }
      outcomes.push(retryLater(message, alone.error));
    }
    return outcomes;
  };

  return {
    applyBatch,
    async recordPoison(input) {
      const recorded = await withTransactionRetry(() => recordPoisonMessage(db, input, clock()), retry);
      if (!recorded.ok) throw recorded.error;
    },
  };
}

function retryLater(message: HighPriorityDebtorMessage, error: unknown): ApplyOutcome {
  return { messageId: message.message_id, outcome: "retryLater", reason: (error as Error)?.message ?? String(error) };
}

/**
 * Groups message indexes so a debtor appears at most once per group, keeping each debtor's
 * messages in arrival order: the n-th message of a debtor goes to group n. Groups run one
 * after another in the same transaction, each seeing the previous one's writes.
 */
export function splitByDebtor(messages: readonly HighPriorityDebtorMessage[]): number[][] {
  const groups: number[][] = [];
  const seen = new Map<number, number>();
  messages.forEach((message, index) => {
    const occurrence = seen.get(message.debtor_id) ?? 0;
    seen.set(message.debtor_id, occurrence + 1);
    const group = groups[occurrence] ?? [];
    group.push(index);
    groups[occurrence] = group;
  });
  return groups;
}
