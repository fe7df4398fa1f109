import type { ServiceDatabase } from "@smartrecover/db-kit";

/** What a publisher sent: one queue message (re-sends of the same message_id count once). */
export interface SentMessage {
  message_id: string;
  debtor_id: number;
  processed_at: string;
}

export interface DeliveryCheck {
  /** Distinct messages published. */
  sent: number;
  /** Published messages the consumer recorded (applied or recognised as stale), each once. */
  applied: number;
  /** Published messages nobody recorded. */
  lost: string[];
  /** Effects that happened more than once, or that no published message explains. */
  duplicates: string[];
}

const key = (debtorId: number, type: string) => `${debtorId}/${type}`;

/**
 * Checks partner-sync's tables against what was published: every message recorded exactly once
 * in the inbox; one sync record per debtor, holding the debtor's newest message; every
 * discrepancy unique while unresolved, its occurrences equal to its sightings, and no message
 * counted twice on a discrepancy. Returns the findings rather than asserting, so a scenario can
 * report its counts before it fails.
 */
export async function checkDelivery(sync: ServiceDatabase, sent: readonly SentMessage[]): Promise<DeliveryCheck> {
  const published = new Map(sent.map((message) => [message.message_id, message]));
  const duplicates: string[] = [];
  const [inboxRows, recordRows, discrepancyRows, eventRows] = await Promise.all([
    sync.query<{ message_id: string; debtor_id: number }>("SELECT message_id, debtor_id FROM inbox_messages"),
    sync.query<{ debtor_id: number; partner_name: string; last_message_id: string }>(
      "SELECT debtor_id, partner_name, last_message_id FROM partner_sync_records",
    ),
    sync.query<{
      id: number;
      debtor_id: number;
      partner_name: string;
      type: string;
      review_state: string;
      occurrences: number;
    }>("SELECT id, debtor_id, partner_name, type, review_state, occurrences FROM discrepancy_records"),
    sync.query<{ discrepancy_id: number; event: string; message_id: string | null }>(
      "SELECT discrepancy_id, event, message_id FROM discrepancy_events",
    ),
  ]);
  const inbox = inboxRows.map((row) => ({ messageId: row.message_id, debtorId: Number(row.debtor_id) }));
  const records = recordRows.map((row) => ({
    debtorId: Number(row.debtor_id),
    partnerName: row.partner_name,
    lastMessageId: row.last_message_id,
  }));
  const discrepancies = discrepancyRows.map((row) => ({
    id: Number(row.id),
    debtorId: Number(row.debtor_id),
    partnerName: row.partner_name,
    type: row.type,
    reviewState: row.review_state,
    occurrences: Number(row.occurrences),
  }));
  const events = eventRows.map((row) => ({
    discrepancyId: Number(row.discrepancy_id),
    event: row.event,
    messageId: row.message_id,
  }));

  const recorded = new Set<string>();
  for (const row of inbox) {
    if (recorded.has(row.messageId)) duplicates.push(`inbox row twice: ${row.messageId}`);
    recorded.add(row.messageId);
    if (!published.has(row.messageId)) duplicates.push(`inbox row for a message nobody published: ${row.messageId}`);
  }
  const lost = [...published.keys()].filter((id) => !recorded.has(id));

  // The newest message of each debtor (by processed_at; equal times may end either way).
  const newest = new Map<number, { at: string; ids: Set<string> }>();
  for (const message of published.values()) {
    const current = newest.get(message.debtor_id);
    if (!current || message.processed_at > current.at) {
      newest.set(message.debtor_id, { at: message.processed_at, ids: new Set([message.message_id]) });
    } else if (message.processed_at === current.at) current.ids.add(message.message_id);
  }
  const recordsPerDebtor = new Map<string, number>();
  for (const record of records) {
    const debtor = `${record.debtorId}/${record.partnerName}`;
    recordsPerDebtor.set(debtor, (recordsPerDebtor.get(debtor) ?? 0) + 1);
    const expected = newest.get(record.debtorId);
    if (!expected) duplicates.push(`sync record for debtor ${record.debtorId}, who was never published`);
    else if (!expected.ids.has(record.lastMessageId) && [...expected.ids].some((id) => recorded.has(id))) {
      duplicates.push(`debtor ${record.debtorId} ends on ${record.lastMessageId}, not on its newest message`);
    }
  }
  for (const [debtor, count] of recordsPerDebtor) if (count > 1) duplicates.push(`${count} sync records for ${debtor}`);
  const synced = new Set(records.map((record) => record.debtorId));
  const recordedDebtors = new Set(inbox.map((row) => row.debtorId));
  for (const debtorId of recordedDebtors) {
    if (!synced.has(debtorId)) lost.push(`debtor ${debtorId}: messages recorded, no sync record`);
  }

  const unresolved = new Map<string, number>();
  for (const discrepancy of discrepancies) {
    if (discrepancy.reviewState === "OPEN" || discrepancy.reviewState === "ACKNOWLEDGED") {
      const id = key(discrepancy.debtorId, `${discrepancy.partnerName}/${discrepancy.type}`);
      unresolved.set(id, (unresolved.get(id) ?? 0) + 1);
    }
  }
  for (const [id, count] of unresolved) if (count > 1) duplicates.push(`${count} unresolved discrepancies for ${id}`);

  const sightings = new Map<number, number>();
  const eventKeys = new Set<string>();
  for (const event of events) {
    if (event.event === "DETECTED" || event.event === "SEEN_AGAIN") {
      sightings.set(event.discrepancyId, (sightings.get(event.discrepancyId) ?? 0) + 1);
    }
    if (event.messageId === null) continue;
    const eventKey = `${event.discrepancyId}/${event.event}/${event.messageId}`;
    if (eventKeys.has(eventKey)) duplicates.push(`event ${eventKey} recorded twice`);
    eventKeys.add(eventKey);
    if (!recorded.has(event.messageId)) duplicates.push(`event from a message not in the inbox: ${event.messageId}`);
  }
  for (const discrepancy of discrepancies) {
    const seen = sightings.get(discrepancy.id) ?? 0;
    if (seen !== discrepancy.occurrences) {
      duplicates.push(`discrepancy ${discrepancy.id}: occurrences ${discrepancy.occurrences}, sightings ${seen}`);
    }
  }
  return { sent: published.size, applied: [...recorded].filter((id) => published.has(id)).length, lost, duplicates };
}

/** One line per scenario in the test output: the counts docs/reliability.md reports. */
export function reportScenario(
  scenario: string,
  dialect: string,
  check: DeliveryCheck,
  details: Record<string, string | number> = {},
): void {
  const extra = Object.entries(details)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");
  console.log(
    `[faults] ${scenario} on ${dialect}: sent ${check.sent}, applied ${check.applied}, duplicates ${check.duplicates.length}, lost ${check.lost.length}${extra ? `; ${extra}` : ""}`,
  );
}
