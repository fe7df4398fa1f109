import { setTimeout as sleep } from "node:timers/promises";
import type { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import type { PartnerSyncDatabase } from "../db/partner-sync-database";
import { writeBatchPlan } from "./apply-plan.repository";
import { type ApplyOutcome, type PlanContext, planBatch } from "./apply-planner";
import { type PoisonMessageInput, recordPoisonMessage } from "./poison-message.repository";
import { toleranceFrom } from "./reconciliation-rules";
import { loadBatchState } from "./sync-state.repository";

export type { ApplyOutcome } from "./apply-planner";
export type { PoisonMessageInput } from "./poison-message.repository";

export interface MessageApplierOptions {
  partnerName: string;
  /** Percent; negative throws, above 100 is treated as 100 (domain.md §8). */
  tolerancePercent: number | string;
  simulatorSeed: number;
  missingProbability: number;
  clock?: () => Date;
  /** Attempts per transaction before giving up (lock conflicts between consumers are retried). */
  maxAttempts?: number;
}

export interface MessageApplier {
  /** Applies schema-valid messages; when it resolves, every effect and inbox row is committed. */
  applyBatch(messages: readonly HighPriorityDebtorMessage[]): Promise<ApplyOutcome[]>;
  applyMessage(message: HighPriorityDebtorMessage): Promise<ApplyOutcome>;
  recordPoison(input: PoisonMessageInput): Promise<void>;
}

/**
 * Some messages of a batch could not be applied. `outcomes[i]` is set for every message that
 * was committed (delete those from the queue); the others are in `failures` (let them retry).
 */
export class ApplyBatchError extends Error {
  override name = "ApplyBatchError";
  constructor(
    readonly outcomes: ReadonlyArray<ApplyOutcome | undefined>,
    readonly failures: ReadonlyArray<{ messageId: string; error: unknown }>,
  ) {
    super(
      `${failures.length} of ${outcomes.length} messages could not be applied: ${failures
        .map((failure) => `${failure.messageId}: ${(failure.error as Error)?.message ?? String(failure.error)}`)
        .join("; ")}`,
    );
  }
}

export function createMessageApplier(db: PartnerSyncDatabase, options: MessageApplierOptions): MessageApplier {
  const tolerance = toleranceFrom(options.tolerancePercent);
  if (options.partnerName.length === 0 || options.partnerName.length > 64) {
    throw new RangeError("partner name must be 1–64 characters");
  }
  const clock = options.clock ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 3;

  // One transaction for the whole batch: far fewer statements and commits than one per message.
  const applyInOneTransaction = (messages: readonly HighPriorityDebtorMessage[]) =>
    db.transaction(async (tx) => {
      const now = clock();
      const context: PlanContext = {
        partnerName: options.partnerName,
        tolerance,
        simulator: { seed: options.simulatorSeed, missingProbability: options.missingProbability },
        now,
      };
      const outcomes: ApplyOutcome[] = new Array(messages.length);
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

  const withRetry = async <T>(work: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= maxAttempts) throw error;
        // Deadlocks, lock waits and unique races between consumers clear up on a fresh attempt.
        await sleep(5 * attempt + Math.random() * 20);
      }
    }
  };

  const applyBatch = async (messages: readonly HighPriorityDebtorMessage[]): Promise<ApplyOutcome[]> => {
    if (messages.length === 0) return [];
    try {
      return await withRetry(() => applyInOneTransaction(messages));
    } catch (error) {
      if (messages.length === 1) throw error;
    }
    // Isolate the message that keeps failing so it does not hold back the rest of its batch.
    const outcomes: Array<ApplyOutcome | undefined> = [];
    const failures: Array<{ messageId: string; error: unknown }> = [];
    for (const message of messages) {
      try {
        const [outcome] = await applyInOneTransaction([message]);
        outcomes.push(outcome);
      } catch (error) {
        outcomes.push(undefined);
        failures.push({ messageId: message.message_id, error });
      }
    }
    if (failures.length > 0) throw new ApplyBatchError(outcomes, failures);
    return outcomes as ApplyOutcome[];
  };

  return {
    applyBatch,
    applyMessage: async (message) => (await applyBatch([message]))[0] as ApplyOutcome,
    recordPoison: (input) => withRetry(() => recordPoisonMessage(db, input, clock())),
  };
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
