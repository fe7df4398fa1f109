import { inList, readDate, type SqlExecutor, type StoredDate } from "@smartrecover/db-kit";
import type { DiscrepancyType } from "../reconciliation/reconciliation-rules";
import { DISCREPANCY_COLUMNS } from "./discrepancy.repository";
import type { DiscrepancyFilter, DiscrepancySort, ReviewQueueFilter } from "./discrepancy.schemas";
import type { DiscrepancyEventName, ReviewState } from "./discrepancy-lifecycle";
import type { QueuePosition } from "./review-queue-cursor";

// Read-only queries over the discrepancies for the API, the report and the metrics.
// discrepancy.repository.ts is the only writer of these tables.

export const DAY_MS = 86_400_000;

/** A discrepancy as stored, with money and percents as exact decimal text. */
export interface DiscrepancyRow {
  id: number;
  debtorId: number;
  partnerName: string;
  type: DiscrepancyType;
  reviewState: ReviewState;
  internalValue: string;
  externalValue: string | null;
  differenceAmount: string | null;
  differencePercent: string | null;
  tolerancePercent: string;
  sourceMessageId: string;
  lastMessageId: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  occurrences: number;
  resolvedAt: Date | null;
  /** Risk score × debt from the latest message that saw it, as exact decimal text. */
  priority: string;
  assignee: string | null;
}

export interface DiscrepancyEventRow {
  id: number;
  event: DiscrepancyEventName;
  fromState: ReviewState | null;
  toState: ReviewState;
  actor: string;
  note: string | null;
  messageId: string | null;
  assignee: string | null;
  createdAt: Date;
}

type Decimal = string | number;

interface StoredDiscrepancy {
  id: number | bigint;
  debtor_id: number | bigint;
  partner_name: string;
  type: DiscrepancyType;
  review_state: ReviewState;
  internal_value: string;
  external_value: string | null;
  difference_amount: Decimal | null;
  difference_percent: Decimal | null;
  tolerance_percent: Decimal;
  source_message_id: string;
  last_message_id: string;
  first_seen_at: StoredDate;
  last_seen_at: StoredDate;
  occurrences: number | bigint;
  resolved_at: StoredDate | null;
  priority: Decimal;
  assignee: string | null;
}

/** What the API shows of a discrepancy: the columns written on detection, the id and when it was resolved. */
const COLUMNS = [
  "id",
  ...DISCREPANCY_COLUMNS.filter((column) => column !== "unresolved_flag" && column !== "updated_at"),
  "resolved_at",
  "assignee",
];

/**
 * A DECIMAL as exact text with its column's scale: MySQL's driver returns it as such text
 * already; SQLite keeps it as a number, whose shortest form toFixed pads to the scale.
 */
function decimalText(value: Decimal, scale: number): string {
  return typeof value === "number" ? value.toFixed(scale) : value;
}

function toRow(stored: StoredDiscrepancy): DiscrepancyRow {
  return {
    id: Number(stored.id),
    debtorId: Number(stored.debtor_id),
    partnerName: stored.partner_name,
    type: stored.type,
    reviewState: stored.review_state,
    internalValue: stored.internal_value,
    externalValue: stored.external_value,
    differenceAmount: stored.difference_amount === null ? null : decimalText(stored.difference_amount, 2),
    differencePercent: stored.difference_percent === null ? null : decimalText(stored.difference_percent, 4),
    tolerancePercent: decimalText(stored.tolerance_percent, 4),
    sourceMessageId: stored.source_message_id,
    lastMessageId: stored.last_message_id,
    firstSeenAt: readDate(stored.first_seen_at),
    lastSeenAt: readDate(stored.last_seen_at),
    occurrences: Number(stored.occurrences),
    resolvedAt: readDate(stored.resolved_at),
    priority: decimalText(stored.priority, 2),
    assignee: stored.assignee,
  };
}

/** WHERE clause and parameters of the API's filters; ages are whole days since first_seen_at at `now`. */
function whereOf(filter: ReviewQueueFilter, now: Date, after?: QueuePosition): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    clauses.push(`review_state IN ${inList(filter.status.length)}`);
    params.push(...filter.status);
  }
  if (filter.type) {
    clauses.push(`type IN ${inList(filter.type.length)}`);
    params.push(...filter.type);
  }
  if (filter.debtor_id !== undefined) {
    clauses.push("debtor_id = ?");
    params.push(filter.debtor_id);
  }
  if (filter.partner_name !== undefined) {
    clauses.push("partner_name = ?");
    params.push(filter.partner_name);
  }
  if (filter.min_age_days !== undefined) {
    clauses.push("first_seen_at <= ?");
    params.push(new Date(now.getTime() - filter.min_age_days * DAY_MS));
  }
  if (filter.max_age_days !== undefined) {
    clauses.push("first_seen_at > ?");
    params.push(new Date(now.getTime() - (filter.max_age_days + 1) * DAY_MS));
  }
  if (filter.assignee?.kind === "none") clauses.push("assignee IS NULL");
  if (filter.assignee?.kind === "subject") {
    clauses.push("assignee = ?");
    params.push(filter.assignee.subject);
  }
  if (filter.min_priority !== undefined) {
    clauses.push("priority >= ?");
    params.push(filter.min_priority);
  }
  // A keyset page: rows after the position in the sort's order, written as a range on the leading
  // sort key plus a tie-break so both databases walk the (review_state, key, id) indexes.
  if (after?.sort === "detected") {
    clauses.push("id > ?");
    params.push(after.id);
  } else if (after?.sort === "age") {
    clauses.push("first_seen_at >= ? AND (first_seen_at > ? OR id > ?)");
    params.push(after.firstSeenAt, after.firstSeenAt, after.id);
  } else if (after?.sort === "priority") {
    clauses.push("priority <= ? AND (priority < ? OR id > ?)");
    params.push(after.priority, after.priority, after.id);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

const ORDER_BY: Record<DiscrepancySort, string> = {
  detected: "id",
  age: "first_seen_at, id",
  priority: "priority DESC, id",
};

/** The keyset position of a row, for the next page's cursor. */
export function positionOf(row: DiscrepancyRow, sort: DiscrepancySort): QueuePosition {
  if (sort === "detected") return { sort, id: row.id };
  return sort === "age"
    ? { sort, firstSeenAt: row.firstSeenAt, id: row.id }
    : { sort, priority: row.priority, id: row.id };
}

export type QueuePaging =
  | { kind: "offset"; sort: DiscrepancySort; skip: number; take: number }
  | { kind: "keyset"; sort: DiscrepancySort; after?: QueuePosition; take: number };

/**
 * One page of the review queue in the sort's order. Offset pages also count the filtered total;
 * keyset pages do not (a COUNT over a large queue costs more than the page itself), and read one
 * row more than asked to tell whether another page follows.
 */
export async function listDiscrepancies(
  db: SqlExecutor,
  filter: ReviewQueueFilter,
  now: Date,
  paging: QueuePaging,
): Promise<{ rows: DiscrepancyRow[]; total?: number; more: boolean }> {
  const order = ORDER_BY[paging.sort];
  if (paging.kind === "offset") {
    const where = whereOf(filter, now);
    const [rows, [count]] = await Promise.all([
      db.query<StoredDiscrepancy>(
        `SELECT ${COLUMNS.join(", ")} FROM discrepancy_records ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
        [...where.params, paging.take, paging.skip],
      ),
      db.query<{ n: number | bigint }>(`SELECT COUNT(*) AS n FROM discrepancy_records ${where.sql}`, where.params),
    ]);
    const total = Number(count?.n ?? 0);
    return { rows: rows.map(toRow), total, more: paging.skip + rows.length < total };
  }
  const where = whereOf(filter, now, paging.after);
  const rows = await db.query<StoredDiscrepancy>(
    `SELECT ${COLUMNS.join(", ")} FROM discrepancy_records ${where.sql} ORDER BY ${order} LIMIT ?`,
    [...where.params, paging.take + 1],
  );
  return { rows: rows.slice(0, paging.take).map(toRow), more: rows.length > paging.take };
}

/** Every matching discrepancy, read in id order a page at a time so exports stay in bounded memory. */
export async function* iterateDiscrepancies(
  db: SqlExecutor,
  filter: DiscrepancyFilter,
  now: Date,
  pageSize = 1000,
): AsyncGenerator<DiscrepancyRow> {
  const where = whereOf(filter, now);
  const and = where.sql ? `${where.sql} AND` : "WHERE";
  let afterId = 0;
  for (;;) {
    const rows = await db.query<StoredDiscrepancy>(
      `SELECT ${COLUMNS.join(", ")} FROM discrepancy_records ${and} id > ? ORDER BY id LIMIT ?`,
      [...where.params, afterId, pageSize],
    );
    for (const row of rows) yield toRow(row);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    afterId = Number(last.id);
  }
}

export async function findDiscrepancy(
  db: SqlExecutor,
  id: number,
): Promise<{ row: DiscrepancyRow; events: DiscrepancyEventRow[] } | null> {
  const [stored] = await db.query<StoredDiscrepancy>(
    `SELECT ${COLUMNS.join(", ")} FROM discrepancy_records WHERE id = ?`,
    [id],
  );
  if (!stored) return null;
  const events = await db.query<{
    id: number | bigint;
    event: DiscrepancyEventName;
    from_state: ReviewState | null;
    to_state: ReviewState;
    actor: string;
    note: string | null;
    message_id: string | null;
    assignee: string | null;
    created_at: StoredDate;
  }>(
    `SELECT id, event, from_state, to_state, actor, note, message_id, assignee, created_at
       FROM discrepancy_events WHERE discrepancy_id = ? ORDER BY id`,
    [id],
  );
  return {
    row: toRow(stored),
    events: events.map((event) => ({
      id: Number(event.id),
      event: event.event,
      fromState: event.from_state,
      toState: event.to_state,
      actor: event.actor,
      note: event.note,
      messageId: event.message_id,
      assignee: event.assignee,
      createdAt: readDate(event.created_at),
    })),
  };
}

export interface StateTypeCount {
  reviewState: string;
  type: string;
  count: number;
}

/** Discrepancies counted per review state and type (one GROUP BY, served by the state/type index). */
export async function countByStateAndType(db: SqlExecutor): Promise<StateTypeCount[]> {
  const rows = await db.query<{ review_state: string; type: string; n: number | bigint }>(
    "SELECT review_state, type, COUNT(*) AS n FROM discrepancy_records GROUP BY review_state, type",
  );
  return rows.map((row) => ({ reviewState: row.review_state, type: row.type, count: Number(row.n) }));
}

export interface AgeingCounts {
  days0to1: number;
  days2to7: number;
  days8to30: number;
  over30: number;
}

/**
 * Unresolved discrepancies by whole days since first seen: 0–1, 2–7, 8–30, > 30. Age d days
 * means first_seen_at in (now − (d+1) days, now − d days], so each bucket is one time range.
 */
export async function unresolvedAgeing(db: SqlExecutor, now: Date): Promise<AgeingCounts> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const [row] = await db.query<Record<"a" | "b" | "c" | "d", number | bigint | string | null>>(
    `SELECT SUM(CASE WHEN first_seen_at > ? THEN 1 ELSE 0 END) AS a,
            SUM(CASE WHEN first_seen_at <= ? AND first_seen_at > ? THEN 1 ELSE 0 END) AS b,
            SUM(CASE WHEN first_seen_at <= ? AND first_seen_at > ? THEN 1 ELSE 0 END) AS c,
            SUM(CASE WHEN first_seen_at <= ? THEN 1 ELSE 0 END) AS d
       FROM discrepancy_records WHERE review_state IN ('OPEN', 'ACKNOWLEDGED')`,
    [daysAgo(2), daysAgo(2), daysAgo(8), daysAgo(8), daysAgo(31), daysAgo(31)],
  );
  return {
    days0to1: Number(row?.a ?? 0),
    days2to7: Number(row?.b ?? 0),
    days8to30: Number(row?.c ?? 0),
    over30: Number(row?.d ?? 0),
  };
}

/** The review queue's tab counts: per review state, and the caller's unresolved assignments. */
export async function countQueueTabs(
  db: SqlExecutor,
  subject: string,
): Promise<{ open: number; acknowledged: number; assigned_to_me: number; resolved: number; auto_resolved: number }> {
  const [states, [mine]] = await Promise.all([
    db.query<{ review_state: string; n: number | bigint }>(
      "SELECT review_state, COUNT(*) AS n FROM discrepancy_records GROUP BY review_state",
    ),
    db.query<{ n: number | bigint }>(
      "SELECT COUNT(*) AS n FROM discrepancy_records WHERE assignee = ? AND review_state IN ('OPEN', 'ACKNOWLEDGED')",
      [subject],
    ),
  ]);
  const count = (state: string) => Number(states.find((row) => row.review_state === state)?.n ?? 0);
  return {
    open: count("OPEN"),
    acknowledged: count("ACKNOWLEDGED"),
    assigned_to_me: Number(mine?.n ?? 0),
    resolved: count("RESOLVED"),
    auto_resolved: count("AUTO_RESOLVED"),
  };
}
