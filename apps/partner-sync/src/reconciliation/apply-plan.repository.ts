import { formatCents } from "@smartrecover/contracts";
import type { Dialect } from "../db/partner-sync-database";
import { inList, placeholders, upsertSql } from "../db/sql-dialect";
import type { SqlExecutor } from "../db/sql-executor";
import type { BatchPlan, PlannedEvent } from "./apply-planner";
import type { Tolerance } from "./reconciliation-rules";

const SYNC_COLUMNS = [
  "debtor_id",
  "partner_name",
  "internal_balance",
  "internal_status",
  "external_balance",
  "external_status",
  "reconciliation_status",
  "last_message_id",
  "last_processed_at",
  "synced_at",
];

const DISCREPANCY_COLUMNS = [
  "debtor_id",
  "partner_name",
  "type",
  "review_state",
  "internal_value",
  "external_value",
  "difference_amount",
  "difference_percent",
  "tolerance_percent",
  "source_message_id",
  "last_message_id",
  "first_seen_at",
  "last_seen_at",
  "occurrences",
  "unresolved_flag",
  "updated_at",
];

export interface WriteContext {
  partnerName: string;
  tolerance: Tolerance;
  now: Date;
}

/** Writes a sub-batch's plan with one multi-row statement per table and kind of change. */
export async function writeBatchPlan(
  tx: SqlExecutor,
  dialect: Dialect,
  plan: BatchPlan,
  context: WriteContext,
): Promise<void> {
  const { partnerName, tolerance, now } = context;
  if (plan.inbox.length > 0) {
    await tx.execute(
      `INSERT INTO inbox_messages (message_id, debtor_id, outcome, processed_at, applied_at) VALUES ${placeholders(5, plan.inbox.length)}`,
      ...plan.inbox.flatMap((row) => [row.messageId, row.debtorId, row.outcome, row.processedAt, now]),
    );
  }
  if (plan.partnerInserts.length > 0) {
    await tx.execute(
      `INSERT INTO partner_records (debtor_id, partner_name, balance, status, created_at) VALUES ${placeholders(5, plan.partnerInserts.length)}`,
      ...plan.partnerInserts.flatMap((row) => [
        row.debtorId,
        partnerName,
        formatCents(row.book.balanceCents),
        row.book.status,
        now,
      ]),
    );
  }
  if (plan.syncUpserts.length > 0) {
    await tx.execute(
      upsertSql(dialect, "partner_sync_records", SYNC_COLUMNS, ["debtor_id", "partner_name"], plan.syncUpserts.length),
      ...plan.syncUpserts.flatMap((row) => [
        row.debtorId,
        partnerName,
        formatCents(row.internal.balanceCents),
        row.internal.status,
        row.external ? formatCents(row.external.balanceCents) : null,
        row.external?.status ?? null,
        row.reconciliationStatus,
        row.messageId,
        row.processedAt,
        now,
      ]),
    );
  }
  const newIds = await insertOpened(tx, dialect, plan, context);
  if (plan.seenAgain.length > 0) await updateSeenAgain(tx, plan, tolerance, now);
  if (plan.autoResolved.length > 0) {
    await tx.execute(
      `UPDATE discrepancy_records
          SET review_state = 'AUTO_RESOLVED', unresolved_flag = NULL, resolved_at = ?, updated_at = ?,
              last_message_id = CASE id ${plan.autoResolved.map(() => "WHEN ? THEN ?").join(" ")} END
        WHERE id IN ${inList(plan.autoResolved.length)}`,
      now,
      now,
      ...plan.autoResolved.flatMap((row) => [row.id, row.messageId]),
      ...plan.autoResolved.map((row) => row.id),
    );
  }
  if (plan.events.length > 0) {
    await tx.execute(
      `INSERT INTO discrepancy_events (discrepancy_id, event, from_state, to_state, actor, note, message_id, created_at)
       VALUES ${placeholders(8, plan.events.length)}`,
      ...plan.events.flatMap((event) => [
        discrepancyId(event, newIds),
        event.event,
        event.fromState,
        event.toState,
        event.actor,
        event.note,
        event.messageId,
        now,
      ]),
    );
  }
}

const keyOf = (debtorId: number, type: string) => `${debtorId}:${type}`;

/** Inserts newly opened discrepancies and returns their ids by debtor and type. */
async function insertOpened(
  tx: SqlExecutor,
  dialect: Dialect,
  plan: BatchPlan,
  { partnerName, tolerance, now }: WriteContext,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (plan.opened.length === 0) return ids;
  const insert = `INSERT INTO discrepancy_records (${DISCREPANCY_COLUMNS.join(", ")}) VALUES ${placeholders(DISCREPANCY_COLUMNS.length, plan.opened.length)}`;
  const params = plan.opened.flatMap(({ debtorId, difference, messageId }) => [
    debtorId,
    partnerName,
    difference.type,
    "OPEN",
    difference.internalValue,
    difference.externalValue,
    difference.differenceCents === null ? null : formatCents(difference.differenceCents),
    difference.differencePercent,
    tolerance.text,
    messageId,
    messageId,
    now,
    now,
    1,
    1,
    now,
  ]);
  type IdRow = { id: number | bigint; debtor_id: number | bigint; type: string };
  let rows: IdRow[];
  if (dialect === "sqlite") {
    rows = await tx.query<IdRow>(`${insert} RETURNING id, debtor_id, type`, ...params);
  } else {
    // MySQL has no INSERT … RETURNING; the unresolved key is unique, so it finds exactly the new rows.
    await tx.execute(insert, ...params);
    const debtorIds = [...new Set(plan.opened.map((row) => row.debtorId))];
    rows = await tx.query<IdRow>(
      `SELECT id, debtor_id, type FROM discrepancy_records
        WHERE partner_name = ? AND unresolved_flag = 1 AND debtor_id IN ${inList(debtorIds.length)}`,
      partnerName,
      ...debtorIds,
    );
  }
  for (const row of rows) ids.set(keyOf(Number(row.debtor_id), row.type), Number(row.id));
  return ids;
}

/** One UPDATE for all repeats: the latest values, one more occurrence, review state untouched. */
async function updateSeenAgain(tx: SqlExecutor, plan: BatchPlan, tolerance: Tolerance, now: Date) {
  const rows = plan.seenAgain;
  const caseOf = (column: string, value: (row: (typeof rows)[number]) => unknown) => ({
    sql: `${column} = CASE id ${rows.map(() => "WHEN ? THEN ?").join(" ")} END`,
    params: rows.flatMap((row) => [row.id, value(row)]),
  });
  const sets = [
    caseOf("internal_value", (row) => row.difference.internalValue),
    caseOf("external_value", (row) => row.difference.externalValue),
    caseOf("difference_amount", (row) =>
      row.difference.differenceCents === null ? null : formatCents(row.difference.differenceCents),
    ),
    caseOf("difference_percent", (row) => row.difference.differencePercent),
    caseOf("last_message_id", (row) => row.messageId),
  ];
  await tx.execute(
    `UPDATE discrepancy_records
        SET ${sets.map((set) => set.sql).join(", ")},
            tolerance_percent = ?, occurrences = occurrences + 1, last_seen_at = ?, updated_at = ?
      WHERE id IN ${inList(rows.length)}`,
    ...sets.flatMap((set) => set.params),
    tolerance.text,
    now,
    now,
    ...rows.map((row) => row.id),
  );
}

function discrepancyId(event: PlannedEvent, newIds: ReadonlyMap<string, number>): number {
  if (event.ref.kind === "existing") return event.ref.id;
  const id = newIds.get(keyOf(event.ref.debtorId, event.ref.type));
  if (id === undefined) throw new Error(`no id for the discrepancy opened for debtor ${event.ref.debtorId}`);
  return id;
}
