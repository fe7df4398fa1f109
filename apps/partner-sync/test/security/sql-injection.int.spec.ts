import type { ServiceDatabase } from "@smartrecover/db-kit";
import {
  createTestDatabase,
  HOSTILE_STRINGS,
  TEST_DIALECTS,
  type TestDatabase,
  tableContents,
} from "@smartrecover/db-kit/testing";
import type { HttpApp } from "@smartrecover/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_PREFIX } from "../../src/app";
import { createMessageApplier } from "../../src/reconciliation/message-applier";
import type { PartnerSync } from "../../src/service";
import { makeMessage } from "../support/fixtures";
import { discrepancies, inboxRows, poisonRows, syncRecords } from "../support/tables";
import { authorization, buildTestApp, openTestService } from "../support/test-service";

const PARTNER = `O'Brien "Partner"; DROP TABLE partner_records; --`;
const q = encodeURIComponent;

// Injection strings through both ways into partner-sync: the consumer's bulk raw SQL (message
// ids, run ids, the partner name, poison bodies) and the review API (filters, ids, the subject as actor, note).
// Free text is stored byte for byte; everything else is refused with a 4xx; afterwards every
// table is there with exactly the rows the accepted requests wrote.
describe.each(TEST_DIALECTS)("partner-sync under SQL injection on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let app: HttpApp;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "sec_injection");
    sync = await openTestService(testDb.url);
    db = sync.db;
    app = await buildTestApp(sync);
  });

  afterAll(async () => {
    await app?.close();
    await sync?.close();
    await testDb?.drop();
  });

  const contents = () => tableContents(db);
  const request = async (method: "GET" | "POST", url: string, payload?: object, subject?: string) =>
    app.inject({
      method,
      url: `${API_PREFIX}${url}`,
      headers: await authorization("admin", subject),
      ...(payload ? { payload } : {}),
    });

  it("when message ids, run ids, the partner name and poison bodies are injection strings, then the consumer's bulk SQL stores them exactly", async () => {
    // Every debtor is missing at this partner: one OPEN discrepancy per message, for the review tests below.
    const applier = createMessageApplier(db, {
      partnerName: PARTNER,
      tolerancePercent: 1,
      simulatorSeed: 42,
      missingProbability: 1,
    });
    const messages = HOSTILE_STRINGS.map((hostile, i) =>
      makeMessage({ message_id: hostile, run_id: hostile.slice(0, 36), debtor_id: 5000 + i }),
    );
    const outcomes = await applier.applyBatch(messages);
    expect(outcomes.map((o) => o.outcome)).toEqual(messages.map(() => "applied"));
    for (const [i, hostile] of HOSTILE_STRINGS.entries()) {
      await applier.recordPoison({ sqsMessageId: `sqs-${i}-${hostile}`, body: hostile, reason: hostile });
    }

    const inbox = await inboxRows(db);
    expect(inbox.map((row) => row.messageId)).toEqual([...HOSTILE_STRINGS]);
    const records = await syncRecords(db);
    expect(records.map((row) => [row.partnerName, row.lastMessageId])).toEqual(
      HOSTILE_STRINGS.map((h) => [PARTNER, h]),
    );
    const stored = (await discrepancies(db)).sort((a, b) => a.debtorId - b.debtorId);
    expect(stored.map((row) => [row.partnerName, row.sourceMessageId])).toEqual(
      HOSTILE_STRINGS.map((h) => [PARTNER, h]),
    );
    const poison = await poisonRows(db);
    expect(poison.map((row) => [row.body, row.reason])).toEqual(HOSTILE_STRINGS.map((h) => [h, h]));
    expect(Buffer.from(poison.map((row) => row.body).join("|"))).toEqual(Buffer.from(HOSTILE_STRINGS.join("|")));
  });

  it("when a list or report filter, a page or an id is an injection string, then the answer is 400, or an exact-match filter that finds nothing", async () => {
    const before = await contents();
    for (const hostile of HOSTILE_STRINGS) {
      for (const filter of ["status", "type", "debtor_id", "min_age_days", "max_age_days", "page", "page_size"]) {
        expect((await request("GET", `/discrepancies/?${filter}=${q(hostile)}`)).statusCode, filter).toBe(400);
        expect((await request("GET", `/reports/reconciliation/?${filter}=${q(hostile)}`)).statusCode, filter).toBe(400);
      }
      expect((await request("GET", `/reports/reconciliation/?format=${q(hostile)}`)).statusCode).toBe(400);
      const byPartner = await request("GET", `/discrepancies/?partner_name=${q(hostile)}`);
      expect(byPartner.statusCode).toBe(200);
      expect(byPartner.json().total).toBe(0);
      const report = await request("GET", `/reports/reconciliation/?format=csv&partner_name=${q(hostile)}`);
      expect(report.statusCode).toBe(200);
      expect(report.body.trim().split("\n")).toHaveLength(1);
      for (const url of [`/discrepancies/${q(hostile)}/`, `/poison-messages/?limit=${q(hostile)}`]) {
        expect((await request("GET", url)).statusCode, url).toBe(400);
      }
      expect((await request("GET", `/poison-messages/?bodies=${q(hostile)}`)).statusCode).toBe(400);
      const acknowledge = await request("POST", `/discrepancies/${q(hostile)}/acknowledge/`, {});
      expect(acknowledge.statusCode).toBe(400);
    }
    const ours = await request("GET", `/discrepancies/?partner_name=${q(PARTNER)}&page_size=500`);
    expect(ours.json().total).toBe(HOSTILE_STRINGS.length);
    const bodies = await request("GET", "/poison-messages/?bodies=true&limit=1000");
    expect(
      bodies
        .json()
        .items.map((item: { body: string }) => item.body)
        .sort(),
    ).toEqual([...HOSTILE_STRINGS].sort());
    // Every table holds exactly what it held, row by row and column by column.
    expect(await contents()).toEqual(before);
  });

  it("when a reviewer's subject uses every character §9 allows and notes are injection strings, then the review steps succeed and the audit trail stores them exactly", async () => {
    // The actor is the token's subject; of SQL's special characters a subject may hold - . _ @.
    const subject = "x--@drop_table.debtors-";
    const before = await contents();
    const open = await discrepancies(db);
    expect(open.length).toBeGreaterThanOrEqual(HOSTILE_STRINGS.length);
    for (const [i, hostile] of HOSTILE_STRINGS.entries()) {
      const id = open[i]?.id;
      const acknowledged = await request("POST", `/discrepancies/${id}/acknowledge/`, { note: hostile }, subject);
      expect(acknowledged.statusCode, acknowledged.body).toBe(200);
      const resolved = await request("POST", `/discrepancies/${id}/resolve/`, { note: `fixed: ${hostile}` }, subject);
      expect(resolved.statusCode, resolved.body).toBe(200);
      const events = await db.query<{ event: string; actor: string; note: string | null }>(
        "SELECT event, actor, note FROM discrepancy_events WHERE discrepancy_id = ? AND event IN ('ACKNOWLEDGED', 'RESOLVED') ORDER BY id",
        [id],
      );
      // The API trims surrounding whitespace of the note; the rest is kept as sent.
      expect(events.map((e) => [e.event, e.actor, e.note])).toEqual([
        ["ACKNOWLEDGED", subject, hostile.trim()],
        ["RESOLVED", subject, `fixed: ${hostile}`.trim()],
      ]);
    }
    const after = await contents();
    const parse = (rows: readonly string[] = []) => rows.map((row) => JSON.parse(row) as Record<string, unknown>);
    // Nothing else changed: every other table row for row, every earlier event kept as it was.
    const { discrepancy_records: recordsAfter, discrepancy_events: eventsAfter, ...othersAfter } = after;
    const { discrepancy_records: recordsBefore, discrepancy_events: eventsBefore, ...othersBefore } = before;
    expect(othersAfter).toEqual(othersBefore);
    expect(eventsAfter).toEqual(expect.arrayContaining(eventsBefore ?? []));
    expect(eventsAfter).toHaveLength((eventsBefore?.length ?? 0) + 2 * HOSTILE_STRINGS.length);
    // Reviewed discrepancies changed only in their review columns; the others not at all.
    const reviewed = new Set(open.slice(0, HOSTILE_STRINGS.length).map((d) => d.id));
    const reviewColumns = ["review_state", "unresolved_flag", "resolved_at", "updated_at"];
    const withoutReview = (row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !reviewColumns.includes(column)));
    const afterRows = new Map(parse(recordsAfter).map((row) => [Number(row.id), row]));
    expect(afterRows.size).toBe(recordsBefore?.length);
    for (const row of parse(recordsBefore)) {
      const now = afterRows.get(Number(row.id));
      if (!reviewed.has(Number(row.id))) expect(now).toEqual(row);
      else
        expect([withoutReview(now ?? {}), now?.review_state, now?.unresolved_flag]).toEqual([
          withoutReview(row),
          "RESOLVED",
          null,
        ]);
    }
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining([
        "partner_sync_records",
        "partner_records",
        "discrepancy_records",
        "discrepancy_events",
        "inbox_messages",
        "poison_messages",
      ]),
    );
  });
});
