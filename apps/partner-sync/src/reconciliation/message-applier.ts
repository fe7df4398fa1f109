import type { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import type { ServiceDatabase, SqlExecutor } from "@smartrecover/db-kit";
import { loadUnresolved, writeSightings } from "../discrepancies/discrepancy.repository";
import { hasImportedBook, insertSimulatedBooks, loadBookEntries } from "../partner-books/partner-book.repository";
import { type PoisonMessageInput, recordPoisonMessage } from "../poison-messages/poison-message.repository";
import {
  type BatchPlan,
  type LoadedState,
  type PartnerBookSource,
  type PlanContext,
  type PlannedOutcome,
  planBatch,
} from "./apply-planner";
import { handledMessageIds, recordHandled } from "./inbox.repository";
import { toleranceFrom } from "./reconciliation-rules";
import { loadSyncState, upsertSyncRecords } from "./sync-record.repository";
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
  /** simulated (default) or imported: compare with the partner's imported book (domain.md §10). */
  bookSource?: PartnerBookSource;
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

export function createMessageApplier(db: ServiceDatabase, options: MessageApplierOptions): MessageApplier {
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
        bookSource: options.bookSource ?? "simulated",
        now,
      };
      const outcomes: PlannedOutcome[] = new Array(messages.length);
      for (const part of splitByDebtor(messages)) {
        const parts = part.map((index) => messages[index] as HighPriorityDebtorMessage);
        const state = await loadBatchState(tx, context, parts);
        const plan = planBatch(parts, state, context);
        await writeBatchPlan(tx, plan, context);
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

/*
 * Statements that do not depend on each other's results are issued together: the MariaDB driver
 * then pipelines them on the transaction's connection (sent back to back, executed in order),
 * which saves a network round trip per statement; on SQLite they simply run one after another.
 */

/** What planBatch needs for one sub-batch (each debtor appears once), in at most three statements. */
async function loadBatchState(
  tx: SqlExecutor,
  context: PlanContext,
  messages: readonly HighPriorityDebtorMessage[],
): Promise<LoadedState> {
  const { partnerName } = context;
  const debtorIds = [...new Set(messages.map((message) => message.debtor_id))];
  const imported = context.bookSource === "imported";
  const [handled, sync, bookImported, books] = await Promise.all([
    handledMessageIds(tx, [...new Set(messages.map((message) => message.message_id))]),
    loadSyncState(tx, partnerName, debtorIds),
    imported ? hasImportedBook(tx, partnerName) : undefined,
    // An imported book also knows debtors never synced before.
    imported ? loadBookEntries(tx, partnerName, debtorIds) : undefined,
  ]);
  // Discrepancies exist only for debtors already synced, so first sightings skip this read.
  const unresolved = await loadUnresolved(tx, partnerName, [...sync.lastProcessedAt.keys()]);
  return {
    appliedMessageIds: handled,
    lastProcessedAt: sync.lastProcessedAt,
    partnerBooks: books ?? sync.partnerBooks,
    unresolved,
    bookImported,
  };
}

/** Writes a sub-batch's plan through each table's repository, one multi-row statement per kind of change. */
async function writeBatchPlan(tx: SqlExecutor, plan: BatchPlan, context: PlanContext): Promise<void> {
  const { partnerName, now } = context;
  await Promise.all([
    recordHandled(tx, plan.inbox, now),
    insertSimulatedBooks(tx, partnerName, plan.partnerInserts, now),
    upsertSyncRecords(tx, partnerName, plan.syncUpserts, now),
    writeSightings(tx, plan, context),
  ]);
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
