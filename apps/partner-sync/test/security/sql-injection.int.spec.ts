import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit";
import type { HttpApp } from "@smartrecover/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_STRINGS, tableRowCounts } from "../../../../packages/db-kit/src/testing-faults";
import { API_PREFIX } from "../../src/app";
import type { PartnerSyncDatabase } from "../../src/db/partner-sync-database";
import { createMessageApplier } from "../../src/reconciliation/message-applier";
import type { PartnerSync } from "../../src/service";
import { makeMessage } from "../support/fixtures";
import { buildTestApp, openTestService } from "../support/test-service";

const PARTNER = `O'Brien "Partner"; DROP TABLE partner_records; --`;
const q = encodeURIComponent;

// Injection strings through both ways into partner-sync: the consumer's bulk raw SQL (message
// ids, run ids, the partner name, poison bodies) and the review API (filters, ids, actor, note).
// Free text is stored byte for byte; everything else is refused with a 4xx; afterwards every
// table is there with exactly the rows the accepted requests wrote.
describe.each(TEST_DIALECTS)("partner-sync under SQL injection on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: PartnerSyncDatabase;
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

  const counts = () => tableRowCounts((sql) => db.prisma.$queryRawUnsafe(sql), dialect);
  const request = (method: "GET" | "POST", url: string, payload?: object) =>
    app.inject({ method, url: `${API_PREFIX}${url}`, ...(payload ? { payload } : {}) });

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

    const inbox = await db.prisma.inboxMessage.findMany({ orderBy: { debtorId: "asc" } });
    expect(inbox.map((row) => row.messageId)).toEqual([...HOSTILE_STRINGS]);
    const records = await db.prisma.partnerSyncRecord.findMany({ orderBy: { debtorId: "asc" } });
    expect(records.map((row) => [row.partnerName, row.lastMessageId])).toEqual(
      HOSTILE_STRINGS.map((h) => [PARTNER, h]),
    );
    const discrepancies = await db.prisma.discrepancyRecord.findMany({ orderBy: { debtorId: "asc" } });
    expect(discrepancies.map((row) => [row.partnerName, row.sourceMessageId])).toEqual(
      HOSTILE_STRINGS.map((h) => [PARTNER, h]),
    );
    const poison = await db.prisma.poisonMessage.findMany({ orderBy: { id: "asc" } });
    expect(poison.map((row) => [row.body, row.reason])).toEqual(HOSTILE_STRINGS.map((h) => [h, h]));
    expect(Buffer.from(poison.map((row) => row.body).join("|"))).toEqual(Buffer.from(HOSTILE_STRINGS.join("|")));
  });

  it("when a list or report filter, a page or an id is an injection string, then the answer is 400, or an exact-match filter that finds nothing", async () => {
    const before = await counts();
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
      const acknowledge = await request("POST", `/discrepancies/${q(hostile)}/acknowledge/`, { actor: "ana" });
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
    expect(await counts()).toEqual(before);
  });

  it("when a reviewer's actor and note are injection strings, then the review steps succeed and the audit trail stores them exactly", async () => {
    const before = await counts();
    const open = await db.prisma.discrepancyRecord.findMany({ orderBy: { id: "asc" }, select: { id: true } });
    expect(open.length).toBeGreaterThanOrEqual(HOSTILE_STRINGS.length);
    for (const [i, hostile] of HOSTILE_STRINGS.entries()) {
      const id = open[i]?.id;
      const acknowledged = await request("POST", `/discrepancies/${id}/acknowledge/`, {
        actor: hostile,
        note: hostile,
      });
      expect(acknowledged.statusCode, acknowledged.body).toBe(200);
      const resolved = await request("POST", `/discrepancies/${id}/resolve/`, {
        actor: hostile,
        note: `fixed: ${hostile}`,
      });
      expect(resolved.statusCode, resolved.body).toBe(200);
      const events = await db.prisma.discrepancyEvent.findMany({
        where: { discrepancyId: id, event: { in: ["ACKNOWLEDGED", "RESOLVED"] } },
        orderBy: { id: "asc" },
      });
      // The API trims surrounding whitespace of actor and note; the rest is kept as sent.
      expect(events.map((e) => [e.event, e.actor, e.note])).toEqual([
        ["ACKNOWLEDGED", hostile.trim(), hostile.trim()],
        ["RESOLVED", hostile.trim(), `fixed: ${hostile}`.trim()],
      ]);
    }
    expect(await counts()).toEqual({
      ...before,
      discrepancy_events: (before.discrepancy_events ?? 0) + 2 * HOSTILE_STRINGS.length,
    });
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
