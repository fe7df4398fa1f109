import type { HighPriorityDebtorMessage } from "@smartrecover/contracts";
import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, type TestDialect } from "@smartrecover/db-kit/testing";
import { loadPartnerSyncConfig } from "@smartrecover/partner-sync/config";
import { openPartnerSync } from "@smartrecover/partner-sync/service";
import { createLogger } from "@smartrecover/service-kit";

/**
 * What reconciliation produced, without ids and clock times: sync records, the partner's book,
 * discrepancies and their audit events, in a stable order, as the driver returns them. Equal
 * states (of two databases of the same kind) mean equal outcomes.
 */
export async function reconciledState(sync: ServiceDatabase) {
  const [records, partnerRecords, discrepancies, events] = await Promise.all([
    sync.query(
      `SELECT debtor_id, partner_name, internal_balance, internal_status, external_balance, external_status,
              reconciliation_status, last_message_id, last_processed_at
         FROM partner_sync_records ORDER BY debtor_id, partner_name`,
    ),
    sync.query("SELECT debtor_id, partner_name, balance, status FROM partner_records ORDER BY debtor_id, partner_name"),
    sync.query<{ id: number; debtor_id: number; type: string } & Record<string, unknown>>(
      `SELECT id, debtor_id, partner_name, type, review_state, internal_value, external_value, difference_amount,
              difference_percent, tolerance_percent, source_message_id, last_message_id, occurrences, unresolved_flag
         FROM discrepancy_records ORDER BY debtor_id, type, id`,
    ),
    sync.query<{ discrepancy_id: number; event: string; message_id: string | null } & Record<string, unknown>>(
      "SELECT discrepancy_id, event, from_state, to_state, actor, note, message_id FROM discrepancy_events ORDER BY id",
    ),
  ]);
  const owner = new Map(discrepancies.map((d) => [Number(d.id), `${d.debtor_id}/${d.type}`]));
  const state = {
    records,
    partnerRecords,
    discrepancies: discrepancies.map(({ id: _id, ...rest }) => rest),
    events: events
      .map(({ discrepancy_id, ...rest }) => ({ discrepancy: owner.get(Number(discrepancy_id)), ...rest }))
      .sort((a, b) =>
        `${a.discrepancy}/${a.message_id}/${a.event}`.localeCompare(`${b.discrepancy}/${b.message_id}/${b.event}`),
      ),
  };
  return JSON.parse(JSON.stringify(state)) as typeof state;
}

/**
 * The state a fault-free consumer reaches: each distinct message applied once, in order, on a
 * fresh database of the same kind, by partner-sync assembled with its defaults (as the consumer
 * processes of these specs run). Valid when the outcome does not depend on arrival order (one
 * message per debtor, re-sends of the same message aside).
 */
export async function referenceState(dialect: TestDialect, messages: readonly HighPriorityDebtorMessage[]) {
  const testDb = createTestDatabase(dialect, "fault_reference");
  const config = loadPartnerSyncConfig({ PARTNER_SYNC_DATABASE_URL: testDb.url, LOG_LEVEL: "silent" });
  const sync = await openPartnerSync(config, { logger: createLogger({ level: "silent", name: "reference" }) });
  try {
    for (let i = 0; i < messages.length; i += 100) {
      const outcomes = await sync.services.applier.applyBatch(messages.slice(i, i + 100));
      const failed = outcomes.find((outcome) => outcome.outcome === "retryLater");
      if (failed) throw new Error(`the reference run could not apply ${failed.messageId}`);
    }
    return await reconciledState(sync.db);
  } finally {
    await sync.close();
    await testDb.drop();
  }
}
