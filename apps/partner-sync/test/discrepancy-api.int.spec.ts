import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase, tableContents } from "@smartrecover/db-kit/testing";
import { type ConsumerCounters, zeroCounters } from "@smartrecover/queue";
import type { HttpApp } from "@smartrecover/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_PREFIX } from "../src/app";
import type { Discrepancy, DiscrepancyPage, DiscrepancyWithHistory } from "../src/discrepancies/discrepancy.schemas";
import { createMessageApplier, type MessageApplier } from "../src/reconciliation/message-applier";
import { balancesMatch, toleranceFrom } from "../src/reconciliation/reconciliation-rules";
import type { PartnerSync } from "../src/service";
import { debtorWhere, internalOf, makeMessage, manualClock, SEED } from "./support/fixtures";
import { authorization, buildTestApp, openTestService, testTokens } from "./support/test-service";

const NOW = "2026-06-01T12:00:00.000Z";
const AGES = [0, 1, 2, 7, 8, 30, 31];
const onePercent = toleranceFrom(1);

describe.each(TEST_DIALECTS)("discrepancy review API on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let app: HttpApp;
  let missingApplier: MessageApplier;
  let applier: MessageApplier;
  const applyClock = manualClock(NOW);
  const apiClock = manualClock(NOW);
  let mismatchDebtor: number;
  // The same database served with the four-eyes rule on, configured as an operator would.
  let fourEyesSync: PartnerSync;
  let fourEyesApp: HttpApp;

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "api");
    sync = await openTestService(testDb.url, { clock: apiClock.now });
    db = sync.db;
    const common = {
      partnerName: "simulated-partner",
      tolerancePercent: 1,
      simulatorSeed: SEED,
      clock: applyClock.now,
    };
    missingApplier = createMessageApplier(db, { ...common, missingProbability: 1 });
    applier = createMessageApplier(db, { ...common, missingProbability: 0 });
    // One MISSING_AT_PARTNER discrepancy per age, first seen `age` whole days (and an hour) before NOW.
    for (const age of AGES) {
      applyClock.set(new Date(Date.parse(NOW) - age * 86_400_000 - 3_600_000).toISOString());
      await missingApplier.applyBatch([makeMessage({ debtor_id: 100 + age })]);
    }
    applyClock.set(NOW);
    [mismatchDebtor] = debtorWhere(
      1,
      internalOf("1000.00", "UNPAID"),
      (b) => b.status !== "UNPAID" && !balancesMatch(100_000, b.balanceCents, onePercent),
    );
    const [matchedDebtor, book] = debtorWhere(
      500,
      internalOf("1000.00", "UNPAID"),
      (b) => b.status === "UNPAID" && balancesMatch(100_000, b.balanceCents, onePercent),
    );
    await applier.applyBatch([
      makeMessage({ debtor_id: mismatchDebtor, debt_amount: "1000.00", payment_status: "UNPAID" }),
      makeMessage({ debtor_id: matchedDebtor, debt_amount: "1000.00", payment_status: book.status }),
    ]);
    fourEyesSync = await openTestService(testDb.url, {
      clock: apiClock.now,
      migrate: false,
      env: { REVIEW_REQUIRE_SECOND_PERSON: "true" },
    });
    fourEyesApp = await buildTestApp(fourEyesSync);
    app = await buildTestApp(sync, {
      consumerCounters: () => ({ ...zeroCounters(), messages_applied_total: 3 }) satisfies ConsumerCounters,
    });
  });

  afterAll(async () => {
    await fourEyesApp?.close();
    await fourEyesSync?.close();
    await app?.close();
    await sync?.close();
    await testDb?.drop();
  });

  const get = async <T>(url: string) => {
    const response = await app.inject({
      method: "GET",
      url: `${API_PREFIX}${url}`,
      headers: await authorization("admin"),
    });
    const json = response.headers["content-type"]?.toString().startsWith("application/json");
    return { status: response.statusCode, body: (json ? response.json() : undefined) as T, response };
  };
  /** A review step by `subject` (a reviewer's token): the audit trail must name that subject. */
  const post = async <T>(url: string, payload: unknown, subject = "ana") => {
    const response = await app.inject({
      method: "POST",
      url: `${API_PREFIX}${url}`,
      payload: payload as object,
      headers: await authorization("reviewer", subject),
    });
    return { status: response.statusCode, body: response.json() as T };
  };
  const idOf = async (debtorId: number, type: string) => {
    const page = await get<DiscrepancyPage>(`/discrepancies/?debtor_id=${debtorId}&type=${type}`);
    return (page.body.items[0] as Discrepancy).id;
  };

  it("when filtered by status and type, then only matching discrepancies come back, paginated", async () => {
    const missing = await get<DiscrepancyPage>(
      "/discrepancies/?status=OPEN&type=MISSING_AT_PARTNER&page_size=3&page=3",
    );
    expect(missing.status).toBe(200);
    expect([missing.body.total, missing.body.total_pages, missing.body.page, missing.body.items.length]).toEqual([
      7, 3, 3, 1,
    ]);
    expect(missing.body.items[0]).toMatchObject({
      type: "MISSING_AT_PARTNER",
      review_state: "OPEN",
      debtor_id: 131,
      age_days: 31,
    });

    const both = await get<DiscrepancyPage>("/discrepancies/?type=BALANCE_MISMATCH,STATUS_MISMATCH");
    expect(both.body.items.map((d) => [d.debtor_id, d.type])).toEqual([
      [mismatchDebtor, "BALANCE_MISMATCH"],
      [mismatchDebtor, "STATUS_MISMATCH"],
    ]);
    expect(both.body.items[0]?.difference_amount).toMatch(/^-?\d+\.\d{2}$/);
  });

  it("when filtered by age, then whole days since first seen bound the result inclusively", async () => {
    const page = await get<DiscrepancyPage>("/discrepancies/?type=MISSING_AT_PARTNER&min_age_days=2&max_age_days=8");
    expect(page.body.items.map((d) => d.age_days)).toEqual([2, 7, 8]);
    const young = await get<DiscrepancyPage>("/discrepancies/?type=MISSING_AT_PARTNER&max_age_days=0");
    expect(young.body.items.map((d) => d.debtor_id)).toEqual([100]);
  });

  it("when a filter is invalid, then the answer is 400 naming the field", async () => {
    const badStatus = await get<{ details: Array<{ field: string }> }>("/discrepancies/?status=OPEN,CLOSED");
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.details.map((d) => d.field)).toContain("status.1");
    const badAges = await get<{ details: Array<{ field: string }> }>("/discrepancies/?min_age_days=9&max_age_days=2");
    expect(badAges.status).toBe(400);
    expect((await get("/discrepancies/?page_size=501")).status).toBe(400);
    expect((await get("/discrepancies/?colour=red")).status).toBe(400);
  });

  it("when one discrepancy is fetched, then it comes with its history; unknown ids are 404, malformed ones 400", async () => {
    const id = await idOf(mismatchDebtor, "STATUS_MISMATCH");
    const found = await get<DiscrepancyWithHistory>(`/discrepancies/${id}/`);
    expect(found.status).toBe(200);
    expect(found.body.history.map((e) => [e.event, e.from_state, e.to_state, e.actor])).toEqual([
      ["DETECTED", null, "OPEN", "partner-sync"],
    ]);
    expect((await get("/discrepancies/999999/")).status).toBe(404);
    expect((await get("/discrepancies/abc/")).status).toBe(400);
  });

  it("when a discrepancy is acknowledged then resolved with a note, then each step is audited and wrong steps are 409", async () => {
    const id = await idOf(101, "MISSING_AT_PARTNER");
    const resolveTooEarly = await post<{ message: string }>(`/discrepancies/${id}/resolve/`, { note: "paid" });
    expect([resolveTooEarly.status, resolveTooEarly.body.message]).toEqual([
      409,
      expect.stringMatching(/acknowledge it first/),
    ]);

    apiClock.set("2026-06-01T13:00:00.000Z");
    const acknowledged = await post<DiscrepancyWithHistory>(`/discrepancies/${id}/acknowledge/`, { note: "looking" });
    expect([acknowledged.status, acknowledged.body.review_state]).toEqual([200, "ACKNOWLEDGED"]);
    expect((await post(`/discrepancies/${id}/acknowledge/`, {})).status).toBe(409);

    const noNote = await post<{ details: Array<{ field: string; message: string }> }>(
      `/discrepancies/${id}/resolve/`,
      {},
      "bo",
    );
    expect(noNote.status).toBe(400);
    expect(noNote.body.details).toEqual([expect.objectContaining({ field: "note", message: "is required" })]);
    expect((await post(`/discrepancies/${id}/resolve/`, { note: "   " }, "bo")).status).toBe(400);

    const resolved = await post<DiscrepancyWithHistory>(
      `/discrepancies/${id}/resolve/`,
      { note: "partner onboarded the account" },
      "bo",
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ review_state: "RESOLVED", resolved_at: "2026-06-01T13:00:00.000Z" });
    expect(resolved.body.history.map((e) => [e.event, e.from_state, e.to_state, e.actor, e.note])).toEqual([
      ["DETECTED", null, "OPEN", "partner-sync", expect.any(String)],
      ["ACKNOWLEDGED", "OPEN", "ACKNOWLEDGED", "ana", "looking"],
      ["RESOLVED", "ACKNOWLEDGED", "RESOLVED", "bo", "partner onboarded the account"],
    ]);
    expect((await post(`/discrepancies/${id}/resolve/`, { note: "again" }, "bo")).status).toBe(409);
    expect((await post("/discrepancies/999999/acknowledge/", {})).status).toBe(404);
  });

  it("when a review body names an actor, then 400 names the field and nothing is written", async () => {
    const id = await idOf(102, "MISSING_AT_PARTNER");
    const before = await tableContents(db);
    for (const body of [{ actor: "bo" }, { actor: "partner-sync", note: "closing" }]) {
      const refused = await post<{ details: Array<{ field: string; message: string }> }>(
        `/discrepancies/${id}/acknowledge/`,
        body,
      );
      expect(refused.status).toBe(400);
      expect(refused.body.details).toContainEqual(
        expect.objectContaining({ field: "actor", message: "is not a known field" }),
      );
    }
    expect(await tableContents(db)).toEqual(before);
  });

  it("when a token claims a system actor as its subject, then 401 and nothing is written", async () => {
    const id = await idOf(102, "MISSING_AT_PARTNER");
    const before = await tableContents(db);
    for (const sub of ["partner-sync", "System", "system:consumer", "risk-service"]) {
      const token = await testTokens.sign(testTokens.validClaims({ sub, role: "admin" }));
      const response = await app.inject({
        method: "POST",
        url: `${API_PREFIX}/discrepancies/${id}/acknowledge/`,
        headers: { authorization: `Bearer ${token}` },
        payload: {},
      });
      expect([sub, response.statusCode]).toEqual([sub, 401]);
    }
    expect(await tableContents(db)).toEqual(before);
  });

  it("when the four-eyes rule is on, then whoever acknowledged cannot resolve (409, nothing written) and a second reviewer can", async () => {
    const id = await idOf(mismatchDebtor, "STATUS_MISMATCH");
    const review = async (step: "acknowledge" | "resolve", subject: string) => {
      const response = await fourEyesApp.inject({
        method: "POST",
        url: `${API_PREFIX}/discrepancies/${id}/${step}/`,
        headers: await authorization("reviewer", subject),
        payload: step === "resolve" ? { note: "settled" } : {},
      });
      return { status: response.statusCode, body: response.json() };
    };
    expect((await review("acknowledge", "ana")).status).toBe(200);
    const before = await tableContents(db);
    for (const sameReviewer of ["ana", "ANA"]) {
      const refused = await review("resolve", sameReviewer);
      expect([refused.status, refused.body.message]).toEqual([409, expect.stringMatching(/another reviewer/)]);
    }
    expect(await tableContents(db)).toEqual(before);
    const resolved = await review("resolve", "bo");
    expect(resolved.status).toBe(200);
    expect(resolved.body.history.map((e: { actor: string }) => e.actor)).toEqual(["partner-sync", "ana", "bo"]);
  });

  it("when an acknowledged difference is seen again, then it stays ACKNOWLEDGED; after resolution a new sighting opens a new one", async () => {
    const id = await idOf(mismatchDebtor, "BALANCE_MISMATCH");
    await post(`/discrepancies/${id}/acknowledge/`, {});
    applyClock.set("2026-06-02T00:00:00.000Z");
    await applier.applyBatch([
      makeMessage({ debtor_id: mismatchDebtor, debt_amount: "1000.00", processed_at: "2026-06-02T00:00:00.000Z" }),
    ]);
    const seen = await get<DiscrepancyWithHistory>(`/discrepancies/${id}/`);
    expect(seen.body).toMatchObject({ review_state: "ACKNOWLEDGED", occurrences: 2 });
    expect(seen.body.history.at(-1)).toMatchObject({
      event: "SEEN_AGAIN",
      from_state: "ACKNOWLEDGED",
      to_state: "ACKNOWLEDGED",
    });

    await post(`/discrepancies/${id}/resolve/`, { note: "written off" });
    await applier.applyBatch([
      makeMessage({ debtor_id: mismatchDebtor, debt_amount: "1000.00", processed_at: "2026-06-03T00:00:00.000Z" }),
    ]);
    const balances = await get<DiscrepancyPage>(`/discrepancies/?debtor_id=${mismatchDebtor}&type=BALANCE_MISMATCH`);
    expect(balances.body.items.map((d) => [d.id === id, d.review_state, d.occurrences])).toEqual([
      [true, "RESOLVED", 2],
      [false, "OPEN", 1],
    ]);
  });

  it("when the summary is asked for, then counts by status and type, ageing and match totals agree with the data", async () => {
    const all = await get<DiscrepancyPage>("/discrepancies/?page_size=500");
    const summary = await get<{
      discrepancies: Record<string, unknown> & {
        total: number;
        by_status: Record<string, number>;
        unresolved_ageing: Record<string, number>;
      };
      reconciliation: Record<string, number>;
    }>("/summary/");
    expect(summary.status).toBe(200);
    const count = (pick: (d: Discrepancy) => boolean) => all.body.items.filter(pick).length;
    expect(summary.body.discrepancies.total).toBe(all.body.total);
    for (const state of ["OPEN", "ACKNOWLEDGED", "RESOLVED", "AUTO_RESOLVED"]) {
      expect(summary.body.discrepancies.by_status[state]).toBe(count((d) => d.review_state === state));
    }
    const unresolvedMissing = (ages: number[]) =>
      count(
        (d) =>
          d.type === "MISSING_AT_PARTNER" &&
          (d.review_state === "OPEN" || d.review_state === "ACKNOWLEDGED") &&
          ages.includes(d.age_days),
      );
    expect(summary.body.discrepancies.unresolved_ageing["8_30_days"]).toBe(unresolvedMissing([8, 30]));
    expect(summary.body.discrepancies.unresolved_ageing.over_30_days).toBe(1);
    expect(summary.body.reconciliation).toEqual({ matched: 1, discrepancy: 8, pending: 0, total: 9 });
  });

  it("when the report is exported as CSV, then there is a header and one row per matching discrepancy", async () => {
    const { response } = await get("/reports/reconciliation/?format=csv&type=MISSING_AT_PARTNER");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/csv/);
    expect(response.headers["content-disposition"]).toMatch(/attachment; filename="reconciliation-report-.*\.csv"/);
    const lines = response.body.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,debtor_id,partner_name,type,review_state,internal_value,external_value,/);
    expect(lines).toHaveLength(1 + AGES.length);
    expect(lines[1]).toContain(",MISSING_AT_PARTNER,");
  });

  it("when the report is exported as JSON, then it holds the filters, the summary and the rows", async () => {
    const { response } = await get("/reports/reconciliation/?status=OPEN");
    const report = JSON.parse(response.body);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(report.filters).toEqual({ status: ["OPEN"] });
    expect(report.summary.reconciliation.total).toBe(9);
    expect(report.discrepancies.length).toBe(report.summary.discrepancies.by_status.OPEN);
    expect(report.discrepancies.every((d: Discrepancy) => d.review_state === "OPEN")).toBe(true);
  });

  it("when poison messages were recorded, then they are listed newest first, bodies only on request", async () => {
    await applier.recordPoison({ sqsMessageId: "sqs-a", body: "{ broken", reason: "malformed JSON", receiveCount: 1 });
    await applier.recordPoison({
      sqsMessageId: "sqs-b",
      body: '{"message_id":"m-9"}',
      reason: "schema_version: required",
    });
    const plain = await get<{ items: Array<Record<string, unknown>> }>("/poison-messages/");
    expect(plain.body.items.map((p) => [p.sqs_message_id, p.message_id, p.reason, "body" in p])).toEqual([
      ["sqs-b", "m-9", "schema_version: required", false],
      ["sqs-a", null, "malformed JSON", false],
    ]);
    const withBodies = await get<{ items: Array<{ body?: string }> }>("/poison-messages/?bodies=true&limit=1");
    expect(withBodies.body.items).toEqual([expect.objectContaining({ body: '{"message_id":"m-9"}' })]);
  });

  it("when health, docs and metrics are asked for, then they answer", async () => {
    expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
    expect((await app.inject({ url: "/readyz" })).json()).toEqual({ status: "ready" });
    const docs = (await app.inject({ url: "/docs/json" })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        `${API_PREFIX}/discrepancies/`,
        `${API_PREFIX}/discrepancies/{id}/resolve/`,
        `${API_PREFIX}/summary/`,
        `${API_PREFIX}/reports/reconciliation/`,
      ]),
    );
    const metrics = (await app.inject({ url: "/metrics" })).body;
    expect(metrics).toMatch(/partner_sync_reconciliation_records\{status="MATCHED"\} 1/);
    expect(metrics).toMatch(/partner_sync_discrepancies\{review_state="RESOLVED",type="MISSING_AT_PARTNER"\} 1/);
    expect(metrics).toMatch(/partner_sync_consumer_messages\{counter="applied"\} 3/);
  });
});
