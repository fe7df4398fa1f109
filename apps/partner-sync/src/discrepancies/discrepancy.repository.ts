import type { PartnerSyncDatabase } from "../db/partner-sync-database";
import type { DiscrepancyType } from "../reconciliation/reconciliation-rules";
import type { DiscrepancyFilter } from "./discrepancy.schemas";
import type { DiscrepancyEventName, ReviewState } from "./discrepancy-lifecycle";

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
}

export interface DiscrepancyEventRow {
  id: number;
  event: DiscrepancyEventName;
  fromState: ReviewState | null;
  toState: ReviewState;
  actor: string;
  note: string | null;
  messageId: string | null;
  createdAt: Date;
}

type FindManyArgs = NonNullable<Parameters<PartnerSyncDatabase["prisma"]["discrepancyRecord"]["findMany"]>[0]>;
type Stored = Awaited<ReturnType<PartnerSyncDatabase["prisma"]["discrepancyRecord"]["findFirstOrThrow"]>>;

/** Prisma filter for the API's filters; ages are whole days since first_seen_at at `now`. */
function whereOf(filter: DiscrepancyFilter, now: Date): FindManyArgs["where"] {
  const firstSeenAt: { lte?: Date; gt?: Date } = {};
  if (filter.min_age_days !== undefined) firstSeenAt.lte = new Date(now.getTime() - filter.min_age_days * DAY_MS);
  if (filter.max_age_days !== undefined) firstSeenAt.gt = new Date(now.getTime() - (filter.max_age_days + 1) * DAY_MS);
  return {
    ...(filter.status ? { reviewState: { in: filter.status } } : {}),
    ...(filter.type ? { type: { in: filter.type } } : {}),
    ...(filter.debtor_id !== undefined ? { debtorId: filter.debtor_id } : {}),
    ...(filter.partner_name !== undefined ? { partnerName: filter.partner_name } : {}),
    ...(Object.keys(firstSeenAt).length > 0 ? { firstSeenAt } : {}),
  };
}

function toRow(stored: Stored): DiscrepancyRow {
  return {
    id: stored.id,
    debtorId: stored.debtorId,
    partnerName: stored.partnerName,
    type: stored.type as DiscrepancyType,
    reviewState: stored.reviewState as ReviewState,
    internalValue: stored.internalValue,
    externalValue: stored.externalValue,
    differenceAmount: stored.differenceAmount?.toFixed(2) ?? null,
    differencePercent: stored.differencePercent?.toFixed(4) ?? null,
    tolerancePercent: stored.tolerancePercent.toFixed(4),
    sourceMessageId: stored.sourceMessageId,
    lastMessageId: stored.lastMessageId,
    firstSeenAt: stored.firstSeenAt,
    lastSeenAt: stored.lastSeenAt,
    occurrences: stored.occurrences,
    resolvedAt: stored.resolvedAt,
  };
}

/** One page in detection order (oldest first: the review queue), with the filtered total. */
export async function listDiscrepancies(
  db: PartnerSyncDatabase,
  filter: DiscrepancyFilter,
  now: Date,
  page: { skip: number; take: number },
): Promise<{ rows: DiscrepancyRow[]; total: number }> {
  const where = whereOf(filter, now);
  const [rows, total] = await Promise.all([
    db.prisma.discrepancyRecord.findMany({ where, orderBy: { id: "asc" }, skip: page.skip, take: page.take }),
    db.prisma.discrepancyRecord.count({ where }),
  ]);
  return { rows: rows.map(toRow), total };
}

/** Every matching discrepancy, read in id order a page at a time so exports stay in bounded memory. */
export async function* iterateDiscrepancies(
  db: PartnerSyncDatabase,
  filter: DiscrepancyFilter,
  now: Date,
  pageSize = 1000,
): AsyncGenerator<DiscrepancyRow> {
  const where = whereOf(filter, now);
  let afterId = 0;
  for (;;) {
    const rows = await db.prisma.discrepancyRecord.findMany({
      where: { AND: [where ?? {}, { id: { gt: afterId } }] },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    for (const row of rows) yield toRow(row);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    afterId = last.id;
  }
}

export async function findDiscrepancy(
  db: PartnerSyncDatabase,
  id: number,
): Promise<{ row: DiscrepancyRow; events: DiscrepancyEventRow[] } | null> {
  const stored = await db.prisma.discrepancyRecord.findUnique({
    where: { id },
    include: { events: { orderBy: { id: "asc" } } },
  });
  if (!stored) return null;
  const events = stored.events.map((event) => ({
    id: event.id,
    event: event.event as DiscrepancyEventName,
    fromState: event.fromState as ReviewState | null,
    toState: event.toState as ReviewState,
    actor: event.actor,
    note: event.note,
    messageId: event.messageId,
    createdAt: event.createdAt,
  }));
  return { row: toRow(stored), events };
}
