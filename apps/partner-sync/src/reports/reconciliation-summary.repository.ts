import type { PartnerSyncDatabase } from "../db/partner-sync-database";
import { DAY_MS } from "../discrepancies/discrepancy.repository";

export interface StateTypeCount {
  reviewState: string;
  type: string;
  count: number;
}

export interface AgeingCounts {
  days0to1: number;
  days2to7: number;
  days8to30: number;
  over30: number;
}

type Count = number | bigint | string | null;

/** Discrepancies counted per review state and type (one GROUP BY, served by the state/type index). */
export async function countByStateAndType(db: PartnerSyncDatabase): Promise<StateTypeCount[]> {
  const rows = await db.prisma.$queryRawUnsafe<Array<{ review_state: string; type: string; n: Count }>>(
    "SELECT review_state, type, COUNT(*) AS n FROM discrepancy_records GROUP BY review_state, type",
  );
  return rows.map((row) => ({ reviewState: row.review_state, type: row.type, count: Number(row.n) }));
}

/**
 * Unresolved discrepancies by whole days since first seen: 0–1, 2–7, 8–30, > 30. Age d days
 * means first_seen_at in (now − (d+1) days, now − d days], so each bucket is one time range.
 */
export async function unresolvedAgeing(db: PartnerSyncDatabase, now: Date): Promise<AgeingCounts> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const [row] = await db.prisma.$queryRawUnsafe<Array<Record<"a" | "b" | "c" | "d", Count>>>(
    `SELECT SUM(CASE WHEN first_seen_at > ? THEN 1 ELSE 0 END) AS a,
            SUM(CASE WHEN first_seen_at <= ? AND first_seen_at > ? THEN 1 ELSE 0 END) AS b,
            SUM(CASE WHEN first_seen_at <= ? AND first_seen_at > ? THEN 1 ELSE 0 END) AS c,
            SUM(CASE WHEN first_seen_at <= ? THEN 1 ELSE 0 END) AS d
       FROM discrepancy_records WHERE review_state IN ('OPEN', 'ACKNOWLEDGED')`,
    daysAgo(2),
    daysAgo(2),
    daysAgo(8),
    daysAgo(8),
    daysAgo(31),
    daysAgo(31),
  );
  return {
    days0to1: Number(row?.a ?? 0),
    days2to7: Number(row?.b ?? 0),
    days8to30: Number(row?.c ?? 0),
    over30: Number(row?.d ?? 0),
  };
}

/** Sync records per reconciliation status: how many debtors currently match the partner. */
export async function countByReconciliationStatus(db: PartnerSyncDatabase): Promise<Map<string, number>> {
  const rows = await db.prisma.$queryRawUnsafe<Array<{ reconciliation_status: string; n: Count }>>(
    "SELECT reconciliation_status, COUNT(*) AS n FROM partner_sync_records GROUP BY reconciliation_status",
  );
  return new Map(rows.map((row) => [row.reconciliation_status, Number(row.n)]));
}
