import type { Discrepancy, DiscrepancyEvent } from "./discrepancy.schemas";
import { DAY_MS, type DiscrepancyEventRow, type DiscrepancyRow } from "./discrepancy-queries";

export function ageInDays(firstSeenAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - firstSeenAt.getTime()) / DAY_MS));
}

export function toDiscrepancy(row: DiscrepancyRow, now: Date): Discrepancy {
  return {
    id: row.id,
    debtor_id: row.debtorId,
    partner_name: row.partnerName,
    type: row.type,
    review_state: row.reviewState,
    internal_value: row.internalValue,
    external_value: row.externalValue,
    difference_amount: row.differenceAmount,
    difference_percent: row.differencePercent,
    tolerance_percent: row.tolerancePercent,
    source_message_id: row.sourceMessageId,
    last_message_id: row.lastMessageId,
    first_seen_at: row.firstSeenAt.toISOString(),
    last_seen_at: row.lastSeenAt.toISOString(),
    occurrences: row.occurrences,
    resolved_at: row.resolvedAt?.toISOString() ?? null,
    priority: row.priority,
    assignee: row.assignee,
    age_days: ageInDays(row.firstSeenAt, now),
  };
}

export function toDiscrepancyEvent(row: DiscrepancyEventRow): DiscrepancyEvent {
  return {
    id: row.id,
    event: row.event,
    from_state: row.fromState,
    to_state: row.toState,
    actor: row.actor,
    note: row.note,
    message_id: row.messageId,
    assignee: row.assignee,
    created_at: row.createdAt.toISOString(),
  };
}
