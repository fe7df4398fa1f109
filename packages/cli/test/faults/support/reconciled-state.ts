import { createTestDatabase, type TestDialect } from "@smartrecover/db-kit";
import {
  openPartnerSyncDatabase,
  type PartnerSyncDatabase,
} from "../../../../../apps/partner-sync/src/db/partner-sync-database";
import { createMessageApplier } from "../../../../../apps/partner-sync/src/reconciliation/message-applier";
import type { HighPriorityDebtorMessage } from "../../../../contracts/src/index";

/** partner-sync's defaults (config.ts), which the consumer processes of these specs run with. */
export const PARTNER_DEFAULTS = {
  partnerName: "simulated-partner",
  tolerancePercent: "1.0",
  simulatorSeed: 42,
  missingProbability: 0.02,
} as const;

/**
 * What reconciliation produced, without ids and clock times: sync records, the partner's book,
 * discrepancies and their audit events, in a stable order. Equal states mean equal outcomes.
 */
export async function reconciledState(sync: PartnerSyncDatabase) {
  const [records, partnerRecords, discrepancies, events] = await Promise.all([
    sync.prisma.partnerSyncRecord.findMany({ orderBy: [{ debtorId: "asc" }, { partnerName: "asc" }] }),
    sync.prisma.partnerRecord.findMany({ orderBy: [{ debtorId: "asc" }, { partnerName: "asc" }] }),
    sync.prisma.discrepancyRecord.findMany({ orderBy: [{ debtorId: "asc" }, { type: "asc" }, { id: "asc" }] }),
    sync.prisma.discrepancyEvent.findMany({ orderBy: { id: "asc" } }),
  ]);
  const owner = new Map(discrepancies.map((d) => [d.id, `${d.debtorId}/${d.type}`]));
  const state = {
    records: records.map(({ id: _id, syncedAt: _syncedAt, ...rest }) => rest),
    partnerRecords: partnerRecords.map(({ debtorId, partnerName, balance, status }) => ({
      debtorId,
      partnerName,
      balance,
      status,
    })),
    discrepancies: discrepancies.map(
      ({ id: _id, firstSeenAt: _f, lastSeenAt: _l, updatedAt: _u, resolvedAt: _r, ...rest }) => rest,
    ),
    events: events
      .map(({ discrepancyId, event, fromState, toState, actor, note, messageId }) => ({
        discrepancy: owner.get(discrepancyId),
        event,
        fromState,
        toState,
        actor,
        note,
        messageId,
      }))
      .sort((a, b) =>
        `${a.discrepancy}/${a.messageId}/${a.event}`.localeCompare(`${b.discrepancy}/${b.messageId}/${b.event}`),
      ),
  };
  return JSON.parse(JSON.stringify(state)) as typeof state;
}

/**
 * The state a fault-free consumer reaches: each distinct message applied once, in order, on a
 * fresh database of the same kind. Valid when the outcome does not depend on arrival order
 * (one message per debtor, re-sends of the same message aside).
 */
export async function referenceState(dialect: TestDialect, messages: readonly HighPriorityDebtorMessage[]) {
  const testDb = createTestDatabase(dialect, "fault_reference");
  const db = await openPartnerSyncDatabase(testDb.url);
  try {
    const applier = createMessageApplier(db, PARTNER_DEFAULTS);
    for (let i = 0; i < messages.length; i += 100) await applier.applyBatch(messages.slice(i, i + 100));
    return await reconciledState(db);
  } finally {
    await db.close();
    await testDb.drop();
  }
}
