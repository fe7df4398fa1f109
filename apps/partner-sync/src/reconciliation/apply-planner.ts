import { formatCents, type HighPriorityDebtorMessage, parseCents } from "@smartrecover/contracts";
import {
  type DiscrepancyEventName,
  planSightings,
  type ReviewState,
  SYSTEM_ACTOR,
  type UnresolvedDiscrepancy,
} from "../discrepancies/discrepancy-lifecycle";
import { type PartnerBook, type SimulatorSettings, simulatePartnerRecord } from "./partner-simulator";
import { type Difference, type ReconciliationStatus, reconcile, type Tolerance } from "./reconciliation-rules";

/** What the plan did with one message (the applier adds retryLater for what it could not commit). */
export type PlannedOutcome =
  | { messageId: string; outcome: "applied"; reconciliationStatus: ReconciliationStatus }
  | { messageId: string; outcome: "duplicate" | "stale" };

/** What the database holds for the debtors of one sub-batch (each debtor appears once). */
export interface LoadedState {
  appliedMessageIds: ReadonlySet<string>;
  lastProcessedAt: ReadonlyMap<number, Date>;
  partnerBooks: ReadonlyMap<number, PartnerBook>;
  unresolved: ReadonlyMap<number, readonly UnresolvedDiscrepancy[]>;
  /**
   * PARTNER_BOOK_SOURCE=imported only: whether the partner's book was imported yet; `partnerBooks`
   * then holds the current book's entry of every debtor of the sub-batch that has one.
   */
  bookImported?: boolean;
}

/** Where the partner's book comes from (PARTNER_BOOK_SOURCE). */
export type PartnerBookSource = "simulated" | "imported";
export const NO_PARTNER_BOOK = "NO_PARTNER_BOOK";

export interface PlanContext {
  partnerName: string;
  tolerance: Tolerance;
  simulator: SimulatorSettings;
  /** Default simulated. */
  bookSource?: PartnerBookSource;
  now: Date;
}

export interface SyncRow {
  debtorId: number;
  internal: PartnerBook;
  external: PartnerBook | null;
  reconciliationStatus: ReconciliationStatus;
  /** Why the record is PENDING (NO_PARTNER_BOOK); null once reconciled. */
  pendingReason: typeof NO_PARTNER_BOOK | null;
  messageId: string;
  processedAt: Date;
  /** The message's priority (risk score × debt, decimal text). */
  priority: string;
}

/** A discrepancy an event belongs to: one opened by this plan, or an existing row. */
export type DiscrepancyRef =
  | { kind: "new"; debtorId: number; type: Difference["type"] }
  | { kind: "existing"; id: number };

export interface PlannedEvent {
  ref: DiscrepancyRef;
  event: DiscrepancyEventName;
  fromState: ReviewState | null;
  toState: ReviewState;
  actor: string;
  note: string | null;
  messageId: string;
}

export interface BatchPlan {
  outcomes: PlannedOutcome[];
  inbox: Array<{ messageId: string; debtorId: number; outcome: "applied" | "stale"; processedAt: Date }>;
  partnerInserts: Array<{ debtorId: number; book: PartnerBook }>;
  syncUpserts: SyncRow[];
  /** `priority` is the message's (risk score × debt, decimal text): the queue is worked highest first. */
  opened: Array<{ debtorId: number; difference: Difference; messageId: string; priority: string }>;
  seenAgain: Array<{ id: number; difference: Difference; messageId: string; priority: string }>;
  autoResolved: Array<{ id: number; messageId: string }>;
  events: PlannedEvent[];
}

/** Plans one sub-batch: duplicates and stale messages change nothing but the inbox (stale only). */
export function planBatch(
  messages: readonly HighPriorityDebtorMessage[],
  state: LoadedState,
  context: PlanContext,
): BatchPlan {
  const plan: BatchPlan = {
    outcomes: [],
    inbox: [],
    partnerInserts: [],
    syncUpserts: [],
    opened: [],
    seenAgain: [],
    autoResolved: [],
    events: [],
  };
  for (const message of messages) {
    const messageId = message.message_id;
    const debtorId = message.debtor_id;
    if (state.appliedMessageIds.has(messageId)) {
      plan.outcomes.push({ messageId, outcome: "duplicate" });
      continue;
    }
    const processedAt = new Date(message.processed_at);
    const last = state.lastProcessedAt.get(debtorId);
    if (last !== undefined && processedAt.getTime() < last.getTime()) {
      plan.outcomes.push({ messageId, outcome: "stale" });
      plan.inbox.push({ messageId, debtorId, outcome: "stale", processedAt });
      continue;
    }

    const internal: PartnerBook = { balanceCents: centsOf(message), status: message.payment_status };
    let external = state.partnerBooks.get(debtorId) ?? null;
    if (context.bookSource === "imported") {
      if (!state.bookImported) {
        // No book to compare with yet: the record waits, and the first import reconciles it.
        plan.outcomes.push({ messageId, outcome: "applied", reconciliationStatus: "PENDING" });
        plan.inbox.push({ messageId, debtorId, outcome: "applied", processedAt });
        plan.syncUpserts.push({
          debtorId,
          internal,
          external: null,
          reconciliationStatus: "PENDING",
          pendingReason: NO_PARTNER_BOOK,
          messageId,
          processedAt,
          priority: message.priority,
        });
        continue;
      }
    } else if (last === undefined && !state.partnerBooks.has(debtorId)) {
      external = simulatePartnerRecord(context.simulator, debtorId, internal);
      if (external) plan.partnerInserts.push({ debtorId, book: external });
    }
    const result = reconcile(internal, external, context.tolerance);
    plan.outcomes.push({ messageId, outcome: "applied", reconciliationStatus: result.status });
    plan.inbox.push({ messageId, debtorId, outcome: "applied", processedAt });
    plan.syncUpserts.push({
      debtorId,
      internal,
      external,
      reconciliationStatus: result.status,
      pendingReason: null,
      messageId,
      processedAt,
      priority: message.priority,
    });
    const sighting = { debtorId, messageId, priority: message.priority };
    addSightings(plan, sighting, state.unresolved.get(debtorId) ?? [], result.differences);
  }
  return plan;
}

/**
 * What a sighting knows of its debtor: the message (or `import:<id>`) that saw the differences, and
 * the debtor's priority (risk score × debt) from the message, or from its sync record.
 */
export interface Sighting {
  debtorId: number;
  messageId: string;
  priority: string;
}

export function addSightings(
  plan: BatchPlan,
  { debtorId, messageId, priority }: Sighting,
  unresolved: readonly UnresolvedDiscrepancy[],
  differences: readonly Difference[],
): void {
  const sightings = planSightings(unresolved, differences);
  const event = (
    ref: DiscrepancyRef,
    name: DiscrepancyEventName,
    from: ReviewState | null,
    to: ReviewState,
    note: string | null,
  ) => plan.events.push({ ref, event: name, fromState: from, toState: to, actor: SYSTEM_ACTOR, note, messageId });
  for (const difference of sightings.open) {
    plan.opened.push({ debtorId, difference, messageId, priority });
    event({ kind: "new", debtorId, type: difference.type }, "DETECTED", null, "OPEN", describe(difference));
  }
  for (const { existing, difference } of sightings.seenAgain) {
    plan.seenAgain.push({ id: existing.id, difference, messageId, priority });
    const ref = { kind: "existing", id: existing.id } as const;
    event(ref, "SEEN_AGAIN", existing.reviewState, existing.reviewState, describe(difference));
  }
  for (const existing of sightings.autoResolve) {
    plan.autoResolved.push({ id: existing.id, messageId });
    const ref = { kind: "existing", id: existing.id } as const;
    event(ref, "AUTO_RESOLVED", existing.reviewState, "AUTO_RESOLVED", "difference no longer present");
  }
}

/** The values behind a detection or repeat, kept in the audit note since the record itself moves on. */
export function describe(difference: Difference): string {
  const external = difference.externalValue ?? "none";
  const amount =
    difference.differenceCents === null
      ? ""
      : `, difference ${formatCents(difference.differenceCents)} (${difference.differencePercent ?? "n/a"} %)`;
  return `internal ${difference.internalValue}, partner ${external}${amount}`;
}

function centsOf(message: HighPriorityDebtorMessage): number {
  const cents = parseCents(message.debt_amount);
  if (cents === null) throw new TypeError(`message ${message.message_id}: debt_amount is not a money amount`);
  return cents;
}
