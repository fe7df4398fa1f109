import type { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import type { ApplyOutcome, MessageApplier } from "../reconciliation/message-applier";

type Applier = Pick<MessageApplier, "applyBatch">;

interface Waiter {
  messages: readonly HighPriorityDebtorMessage[];
  resolve: (outcomes: ApplyOutcome[]) => void;
  reject: (error: unknown) => void;
}

export interface CoalescerOptions {
  /** Most messages merged into one transaction. */
  maxMessages: number;
  /** Transactions running at once. */
  maxParallel: number;
  /**
   * Start an idle transaction on the next event-loop turn instead of at once, so batches whose
   * receives complete in the same turn share it. An applier that never yields to the event loop
   * mid-transaction (better-sqlite3) otherwise finishes before anyone can join, and nothing merges.
   */
  gatherOneTurn?: boolean;
}

/**
 * Group commit: batches that arrive from several receive loops while a transaction is running
 * are merged into the next one. Each caller still gets exactly its own outcomes (a message the
 * applier could not commit has its own retryLater outcome), so deletes stay tied to that caller's
 * committed messages.
 * Merging pays off where transactions contend (MariaDB); it costs nothing measurable on SQLite.
 */
export function coalesceApplies(applier: Applier, options: CoalescerOptions): Applier {
  const queue: Waiter[] = [];
  let running = 0;
  let gathering = false;

  const pump = () => {
    while (running < options.maxParallel && queue.length > 0) {
      const group: Waiter[] = [queue.shift() as Waiter];
      let size = group[0]?.messages.length ?? 0;
      while (queue.length > 0 && size + (queue[0]?.messages.length ?? 0) <= options.maxMessages) {
        const next = queue.shift() as Waiter;
        size += next.messages.length;
        group.push(next);
      }
      running += 1;
      void run(group).finally(() => {
        running -= 1;
        pump();
      });
    }
  };

  const run = async (group: Waiter[]) => {
    const all = group.flatMap((waiter) => waiter.messages);
    let outcomes: ApplyOutcome[];
    try {
      outcomes = await applier.applyBatch(all);
    } catch (error) {
      // Unexpected (per-message failures are outcomes): every caller of the transaction learns of it.
      for (const waiter of group) waiter.reject(error);
      return;
    }
    let offset = 0;
    for (const waiter of group) {
      waiter.resolve(outcomes.slice(offset, offset + waiter.messages.length));
      offset += waiter.messages.length;
    }
  };

  return {
    applyBatch: (messages) =>
      new Promise<ApplyOutcome[]>((resolve, reject) => {
        if (messages.length === 0) return resolve([]);
        queue.push({ messages, resolve, reject });
        if (!options.gatherOneTurn) return pump();
        if (gathering) return;
        gathering = true;
        setImmediate(() => {
          gathering = false;
          pump();
        });
      }),
  };
}
