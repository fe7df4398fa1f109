import { formatCents } from "@smartrecover/contracts";
import { forUpdate, inList, placeholders, type ServiceDatabase, type SqlExecutor } from "@smartrecover/db-kit";
import type { BatchPlan, PlannedEvent } from "../reconciliation/apply-planner";
import type { DiscrepancyType, Tolerance } from "../reconciliation/reconciliation-rules";
import type { ReviewState, UnresolvedDiscrepancy, UnresolvedState } from "./discrepancy-lifecycle";
import {
  decideReview,
  type ReviewCommand,
  type ReviewContext,
  type ReviewDecision,
  type ReviewTarget,
} from "./review-command";

// The only module that writes discrepancy_records and discrepancy_events: the consumer's
// sightings (detected, seen again, auto-resolved) and the reviewers' transitions.

export const DISCREPANCY_COLUMNS = [
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
  "priority",
];

const EVENT_COLUMNS = [
  "discrepancy_id",
  "event",
  "from_state",
  "to_state",
  "actor",
  "note",
  "message_id",
  "created_at",
];

/** Review events also name the new assignee (ASSIGNED). */
const REVIEW_EVENT_COLUMNS = [...EVENT_COLUMNS, "assignee"];

/** The unresolved discrepancies of these debtors, locked until commit on MySQL. */
export async function loadUnresolved(
  tx: SqlExecutor,
  partnerName: string,
  debtorIds: readonly number[],
): Promise<Map<number, UnresolvedDiscrepancy[]>> {
  const unresolved = new Map<number, UnresolvedDiscrepancy[]>();
  if (debtorIds.length === 0) return unresolved;
  const rows = await tx.query<{
    id: number | bigint;
    debtor_id: number | bigint;
    type: DiscrepancyType;
    review_state: UnresolvedState;
  }>(
    `SELECT id, debtor_id, type, review_state FROM discrepancy_records
      WHERE partner_name = ? AND unresolved_flag = 1 AND debtor_id IN ${inList(debtorIds.length)}${forUpdate(tx.dialect)}`,
    [partnerName, ...debtorIds],
  );
  for (const row of rows) {
    const debtorId = Number(row.debtor_id);
    const list = unresolved.get(debtorId) ?? [];
    list.push({ id: Number(row.id), type: row.type, reviewState: row.review_state });
    unresolved.set(debtorId, list);
  }
  return unresolved;
}

export interface SightingContext {
  partnerName: string;
  tolerance: Tolerance;
  now: Date;
}

type Sightings = Pick<BatchPlan, "opened" | "seenAgain" | "autoResolved" | "events">;

/**
 * Writes a sub-batch's sightings with one multi-row statement per kind of change. The three kinds
 * touch different rows, so they are issued together (pipelined on MariaDB); the events follow
 * once the new discrepancies have their ids.
 */
export async function writeSightings(tx: SqlExecutor, plan: Sightings, context: SightingContext): Promise<void> {
  const [newIds] = await Promise.all([
    insertOpened(tx, plan, context),
    updateSeenAgain(tx, plan, context),
    autoResolve(tx, plan, context),
  ]);
  if (plan.events.length > 0) {
    await tx.execute(
      `INSERT INTO discrepancy_events (${EVENT_COLUMNS.join(", ")}) VALUES ${placeholders(8, plan.events.length)}`,
      plan.events.flatMap((event) => [
        discrepancyId(event, newIds),
        event.event,
        event.fromState,
        event.toState,
        event.actor,
        event.note,
        event.messageId,
        context.now,
      ]),
    );
  }
}

async function autoResolve(tx: SqlExecutor, plan: Sightings, { now }: SightingContext): Promise<void> {
  if (plan.autoResolved.length > 0) {
    await tx.execute(
      `UPDATE discrepancy_records
          SET review_state = 'AUTO_RESOLVED', unresolved_flag = NULL, resolved_at = ?, updated_at = ?,
              last_message_id = CASE id ${plan.autoResolved.map(() => "WHEN ? THEN ?").join(" ")} END
        WHERE id IN ${inList(plan.autoResolved.length)}`,
      [
        now,
        now,
        ...plan.autoResolved.flatMap((row) => [row.id, row.messageId]),
        ...plan.autoResolved.map((row) => row.id),
      ],
    );
  }
}

const keyOf = (debtorId: number, type: string) => `${debtorId}:${type}`;

/** Inserts newly opened discrepancies and returns their ids by debtor and type. */
async function insertOpened(
  tx: SqlExecutor,
  plan: Sightings,
  { partnerName, tolerance, now }: SightingContext,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (plan.opened.length === 0) return ids;
  const insert = `INSERT INTO discrepancy_records (${DISCREPANCY_COLUMNS.join(", ")}) VALUES ${placeholders(DISCREPANCY_COLUMNS.length, plan.opened.length)}`;
  const params = plan.opened.flatMap(({ debtorId, difference, messageId, priority }) => [
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
    priority,
  ]);
  type IdRow = { id: number | bigint; debtor_id: number | bigint; type: string };
  let rows: IdRow[];
  if (tx.dialect === "sqlite") {
    rows = await tx.query<IdRow>(`${insert} RETURNING id, debtor_id, type`, params);
  } else {
    // MySQL has no INSERT … RETURNING; the unresolved key is unique, so it finds exactly the new rows.
    await tx.execute(insert, params);
    const debtorIds = [...new Set(plan.opened.map((row) => row.debtorId))];
    rows = await tx.query<IdRow>(
      `SELECT id, debtor_id, type FROM discrepancy_records
        WHERE partner_name = ? AND unresolved_flag = 1 AND debtor_id IN ${inList(debtorIds.length)}`,
      [partnerName, ...debtorIds],
    );
  }
  for (const row of rows) ids.set(keyOf(Number(row.debtor_id), row.type), Number(row.id));
  return ids;
}

/** One UPDATE for all repeats: the latest values, one more occurrence, review state untouched. */
async function updateSeenAgain(tx: SqlExecutor, plan: Sightings, { tolerance, now }: SightingContext) {
  const rows = plan.seenAgain;
  if (rows.length === 0) return;
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
    caseOf("priority", (row) => row.priority),
  ];
  await tx.execute(
    `UPDATE discrepancy_records
        SET ${sets.map((set) => set.sql).join(", ")},
            tolerance_percent = ?, occurrences = occurrences + 1, last_seen_at = ?, updated_at = ?
      WHERE id IN ${inList(rows.length)}`,
    [...sets.flatMap((set) => set.params), tolerance.text, now, now, ...rows.map((row) => row.id)],
  );
}

function discrepancyId(event: PlannedEvent, newIds: ReadonlyMap<string, number>): number {
  if (event.ref.kind === "existing") return event.ref.id;
  const id = newIds.get(keyOf(event.ref.debtorId, event.ref.type));
  if (id === undefined) throw new Error(`no id for the discrepancy opened for debtor ${event.ref.debtorId}`);
  return id;
}

/**
 * Applies one review command to each of `ids` in one transaction and returns one decision per id,
 * in order: a refused id (not found, wrong state) changes nothing and does not hold back the
 * others. The rows are read under lock (MySQL) or the write lock (SQLite), so a consumer
 * auto-resolving one at the same moment cannot be overwritten; the changes are one UPDATE per
 * kind and one multi-row INSERT of audit events. `ids` must not repeat an id.
 */
export async function applyReviewCommand(
  db: Pick<ServiceDatabase, "transaction">,
  ids: readonly number[],
  command: ReviewCommand,
  context: ReviewContext & { now: Date },
): Promise<ReviewDecision[]> {
  const { actor, now } = context;
  if (ids.length === 0) return [];
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number | bigint; review_state: ReviewState; assignee: string | null }>(
      `SELECT id, review_state, assignee FROM discrepancy_records WHERE id IN ${inList(ids.length)}${forUpdate(tx.dialect)}`,
      [...ids],
    );
    const targets = new Map<number, ReviewTarget>(
      rows.map((row) => [
        Number(row.id),
        { id: Number(row.id), reviewState: row.review_state, assignee: row.assignee },
      ]),
    );
    if (command.kind === "RESOLVE" && context.requireSecondPerson && targets.size > 0) {
      // The last acknowledgement of each, in one read (ids ascend, so the last row per discrepancy wins).
      const acknowledged = await tx.query<{ discrepancy_id: number | bigint; actor: string }>(
        `SELECT discrepancy_id, actor FROM discrepancy_events
          WHERE event = 'ACKNOWLEDGED' AND discrepancy_id IN ${inList(targets.size)} ORDER BY id`,
        [...targets.keys()],
      );
      for (const row of acknowledged) {
        const target = targets.get(Number(row.discrepancy_id));
        if (target) target.acknowledgedBy = row.actor;
      }
    }
    const decisions = ids.map((id) => decideReview(command, targets.get(id), id, context));
    const applied = ids.flatMap((id, i) => {
      const decision = decisions[i] as ReviewDecision;
      return decision.ok ? [{ id, effect: decision.effect }] : [];
    });
    const moved = applied.filter((row) => row.effect.toState !== undefined);
    const reassigned = applied.filter((row) => row.effect.assignee !== undefined);
    const events = applied.flatMap((row) => (row.effect.event ? [{ id: row.id, ...row.effect.event }] : []));
    if (moved.length > 0) {
      // Every id of one command moves to the same state.
      const toState = moved[0]?.effect.toState;
      const resolved = toState === "RESOLVED";
      await tx.execute(
        `UPDATE discrepancy_records
            SET review_state = ?, updated_at = ?, unresolved_flag = ${resolved ? "NULL" : "unresolved_flag"},
                resolved_at = ${resolved ? "?" : "resolved_at"}
          WHERE id IN ${inList(moved.length)}`,
        [toState, now, ...(resolved ? [now] : []), ...moved.map((row) => row.id)],
      );
    }
    if (reassigned.length > 0) {
      await tx.execute(
        `UPDATE discrepancy_records SET assignee = ?, updated_at = ? WHERE id IN ${inList(reassigned.length)}`,
        [reassigned[0]?.effect.assignee ?? null, now, ...reassigned.map((row) => row.id)],
      );
    }
    if (events.length > 0) {
      await tx.execute(
        `INSERT INTO discrepancy_events (${REVIEW_EVENT_COLUMNS.join(", ")}) VALUES ${placeholders(9, events.length)}`,
        events.flatMap((e) => [e.id, e.event, e.fromState, e.toState, actor, e.note, null, now, e.assignee]),
      );
    }
    return decisions;
  });
}
