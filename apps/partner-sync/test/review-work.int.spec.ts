import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import type { HttpApp, Role } from "@smartrecover/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_PREFIX } from "../src/app";
import type {
  BulkReviewResponse,
  Discrepancy,
  DiscrepancyCounts,
  DiscrepancyPage,
  DiscrepancyWithHistory,
} from "../src/discrepancies/discrepancy.schemas";
import { createMessageApplier, type MessageApplier } from "../src/reconciliation/message-applier";
import type { PartnerSync } from "../src/service";
import { makeMessage, manualClock, SEED } from "./support/fixtures";
import { buildTestApp, openTestService, testTokens } from "./support/test-service";

const NOW = "2026-06-01T12:00:00.000Z";
// Debtor id → the priority its first message carries; ties (debtors 3 and 5) break on the lower id.
const PRIORITIES: Record<number, string> = {
  1: "600000.00",
  2: "12500000.50",
  3: "900000.00",
  4: "44999999995.50",
  5: "900000.00",
  6: "750000.25",
  7: "510000.00",
};
const DEBTORS = Object.keys(PRIORITIES).map(Number);

describe.each(TEST_DIALECTS)("review work (assign, comment, bulk, priority queue) on %s", (dialect) => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let app: HttpApp;
  let applier: MessageApplier;
  const clock = manualClock(NOW);
  const idByDebtor = new Map<number, number>();

  beforeAll(async () => {
    testDb = createTestDatabase(dialect, "review");
    sync = await openTestService(testDb.url, { clock: clock.now });
    // The partner knows nobody: every message opens one MISSING_AT_PARTNER discrepancy.
    applier = createMessageApplier(sync.db, {
      partnerName: "simulated-partner",
      tolerancePercent: 1,
      simulatorSeed: SEED,
      missingProbability: 1,
      clock: clock.now,
    });
    // First seen one day apart, debtor 1 the oldest.
    for (const debtor of DEBTORS) {
      clock.set(new Date(Date.parse(NOW) - (10 - debtor) * 86_400_000).toISOString());
      await applier.applyBatch([
        makeMessage({ debtor_id: debtor, priority: PRIORITIES[debtor], processed_at: clock.now().toISOString() }),
      ]);
    }
    clock.set(NOW);
    app = await buildTestApp(sync);
    const page = await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?page_size=500");
    for (const item of page.body.items) idByDebtor.set(item.debtor_id, item.id);
  });

  afterAll(async () => {
    await app?.close();
    await sync?.close();
    await testDb?.drop();
  });

  async function call<T>(role: Role | null, method: "GET" | "POST", url: string, payload?: unknown, subject?: string) {
    const headers = role ? { authorization: `Bearer ${await testTokens.token(role, { subject })}` } : {};
    const response = await app.inject({ method, url: `${API_PREFIX}${url}`, headers, payload: payload as object });
    return { status: response.statusCode, body: response.json() as T };
  }
  const id = (debtor: number) => idByDebtor.get(debtor) as number;
  const one = (debtor: number) => call<DiscrepancyWithHistory>("viewer", "GET", `/discrepancies/${id(debtor)}/`);

  it("when discrepancies are listed by priority, then the highest debtor priority comes first, ties on the lower id", async () => {
    const page = await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?sort=priority");
    expect(page.status).toBe(200);
    expect(page.body.items.map((d) => [d.debtor_id, d.priority])).toEqual([
      [4, "44999999995.50"],
      [2, "12500000.50"],
      [3, "900000.00"],
      [5, "900000.00"],
      [6, "750000.25"],
      [1, "600000.00"],
      [7, "510000.00"],
    ]);
    const rich = await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?sort=priority&min_priority=900000");
    expect(rich.body.items.map((d) => d.debtor_id)).toEqual([4, 2, 3, 5]);
    const oldest = await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?sort=age");
    expect(oldest.body.items.map((d) => d.debtor_id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("when the queue is walked by keyset in each sort, then every row comes exactly once, in the sort's order", async () => {
    const expected = {
      detected: [...DEBTORS],
      age: [1, 2, 3, 4, 5, 6, 7],
      priority: [4, 2, 3, 5, 6, 1, 7],
    };
    for (const [sort, order] of Object.entries(expected)) {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/discrepancies/?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
        const page = await call<DiscrepancyPage>("viewer", "GET", query);
        expect(page.status).toBe(200);
        expect(page.body.total).toBeUndefined();
        seen.push(...page.body.items.map((d) => d.debtor_id));
        cursor = page.body.next_cursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect({ sort, seen }).toEqual({ sort, seen: order });
      expect(pages).toBe(3);
    }
  });

  it("when a cursor is forged or made for another sort, or paging styles are mixed, then the answer is 400", async () => {
    const first = await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?sort=age&limit=2");
    const cursor = first.body.next_cursor as string;
    expect((await call("viewer", "GET", `/discrepancies/?sort=priority&limit=2&cursor=${cursor}`)).status).toBe(400);
    expect((await call("viewer", "GET", "/discrepancies/?limit=2&cursor=bm90LWpzb24")).status).toBe(400);
    expect((await call("viewer", "GET", "/discrepancies/?limit=2&page=2")).status).toBe(400);
    expect((await call("viewer", "GET", "/discrepancies/?min_priority=12.345")).status).toBe(400);
    expect((await call("viewer", "GET", "/discrepancies/?sort=debt")).status).toBe(400);
  });

  it("when a later message carries a new priority, then the open discrepancy takes it", async () => {
    clock.set(NOW);
    await applier.applyBatch([makeMessage({ debtor_id: 7, priority: "99000000.00", processed_at: NOW })]);
    expect((await one(7)).body).toMatchObject({ priority: "99000000.00", occurrences: 2 });
    const [record] = await sync.db.query<{ priority: string | number }>(
      "SELECT priority FROM partner_sync_records WHERE debtor_id = 7",
    );
    expect(Number(record?.priority)).toBe(99_000_000);
  });

  it("when a reviewer assigns and unassigns, then the assignee changes and each change is an ASSIGNED event by the caller", async () => {
    const assigned = await call<DiscrepancyWithHistory>(
      "reviewer",
      "POST",
      `/discrepancies/${id(1)}/assign/`,
      { assignee: "bea" },
      "ana",
    );
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignee).toBe("bea");
    expect(assigned.body.history.at(-1)).toMatchObject({
      event: "ASSIGNED",
      actor: "ana",
      assignee: "bea",
      from_state: "OPEN",
      to_state: "OPEN",
    });
    const again = await call<DiscrepancyWithHistory>("reviewer", "POST", `/discrepancies/${id(1)}/assign/`, {
      assignee: "bea",
    });
    expect(again.body.history.filter((e) => e.event === "ASSIGNED")).toHaveLength(1);
    const cleared = await call<DiscrepancyWithHistory>("reviewer", "POST", `/discrepancies/${id(1)}/assign/`, {
      assignee: null,
    });
    expect(cleared.body.assignee).toBeNull();
    expect(cleared.body.history.at(-1)).toMatchObject({ event: "ASSIGNED", assignee: null, actor: "tester-reviewer" });
  });

  it("when the assignee is not a valid subject or names the actor in the body, then the answer is 400", async () => {
    for (const payload of [{ assignee: "system" }, { assignee: "a b" }, { assignee: "bea", actor: "x" }, {}]) {
      expect((await call("reviewer", "POST", `/discrepancies/${id(2)}/assign/`, payload)).status).toBe(400);
    }
    expect((await call("reviewer", "POST", "/discrepancies/999999/assign/", { assignee: "bea" })).status).toBe(404);
  });

  it("when a reviewer comments, then a COMMENTED event holds the note; an empty note is 400", async () => {
    const commented = await call<DiscrepancyWithHistory>(
      "reviewer",
      "POST",
      `/discrepancies/${id(3)}/comments/`,
      { note: "  called the partner, waiting  " },
      "carl",
    );
    expect(commented.status).toBe(201);
    expect(commented.body.review_state).toBe("OPEN");
    expect(commented.body.history.at(-1)).toMatchObject({
      event: "COMMENTED",
      actor: "carl",
      note: "called the partner, waiting",
    });
    expect((await call("reviewer", "POST", `/discrepancies/${id(3)}/comments/`, { note: " " })).status).toBe(400);
  });

  it("when assigned to me or to nobody is asked for, then the list and the tab counts follow the caller", async () => {
    await call("reviewer", "POST", "/discrepancies/bulk/", { action: "assign", ids: [id(5), id(6)], assignee: "dora" });
    const mine = await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?assignee=me&sort=priority", {}, "dora");
    expect(mine.body.items.map((d) => d.debtor_id)).toEqual([5, 6]);
    const byName = await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?assignee=dora");
    expect(byName.body.items.map((d) => d.debtor_id)).toEqual([5, 6]);
    const nobody = await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?assignee=none");
    expect(nobody.body.items.map((d) => d.debtor_id).sort()).toEqual([1, 2, 3, 4, 7]);
    const counts = await call<DiscrepancyCounts>("viewer", "GET", "/discrepancies/counts/", undefined, "dora");
    expect(counts.body).toEqual({ open: 7, acknowledged: 0, assigned_to_me: 2, resolved: 0, auto_resolved: 0 });
  });

  it("when a bulk acknowledge holds an unknown id, then that id alone fails and the rest are acknowledged and audited", async () => {
    const ids = [id(1), 999_999, id(2), id(3)];
    const bulk = await call<BulkReviewResponse>("reviewer", "POST", "/discrepancies/bulk/", {
      action: "acknowledge",
      ids,
      note: "triaged",
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toMatchObject({ action: "acknowledge", succeeded: 3, failed: 1 });
    expect(bulk.body.results.map((r) => [r.id, r.ok, r.ok ? null : r.error.code])).toEqual([
      [id(1), true, null],
      [999_999, false, "not_found"],
      [id(2), true, null],
      [id(3), true, null],
    ]);
    for (const debtor of [1, 2, 3]) {
      const found = (await one(debtor)).body;
      expect(found.review_state).toBe("ACKNOWLEDGED");
      expect(found.history.at(-1)).toMatchObject({ event: "ACKNOWLEDGED", note: "triaged", actor: "tester-reviewer" });
    }
  });

  it("when a bulk resolve mixes acknowledged and open ones, then the open one fails as wrong_state and nothing else about it changes", async () => {
    const before = (await one(4)).body;
    const bulk = await call<BulkReviewResponse>("reviewer", "POST", "/discrepancies/bulk/", {
      action: "resolve",
      ids: [id(1), id(4), id(2)],
      note: "partner confirmed",
    });
    expect(bulk.body.results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["ok", "wrong_state", "ok"]);
    expect((await one(4)).body).toEqual(before);
    const resolved = (await one(1)).body;
    expect(resolved).toMatchObject({ review_state: "RESOLVED", resolved_at: NOW });
    expect(resolved.history.at(-1)).toMatchObject({ event: "RESOLVED", note: "partner confirmed" });
    const counts = await call<DiscrepancyCounts>("viewer", "GET", "/discrepancies/counts/");
    expect(counts.body).toMatchObject({ open: 4, acknowledged: 1, resolved: 2 });
    const assignResolved = await call("reviewer", "POST", `/discrepancies/${id(1)}/assign/`, { assignee: "bea" });
    expect(assignResolved.status).toBe(409);
  });

  it("when a bulk request is malformed, then it is refused whole with 400 and nothing changes", async () => {
    const before = (await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?page_size=500")).body.items;
    const bad = [
      { action: "resolve", ids: [id(3)] },
      { action: "resolve", ids: [id(3)], note: "  " },
      { action: "assign", ids: [id(3)] },
      { action: "acknowledge", ids: [id(3)], assignee: "bea" },
      { action: "acknowledge", ids: [id(4), id(4)] },
      { action: "acknowledge", ids: [] },
      { action: "acknowledge", ids: Array.from({ length: 501 }, (_, i) => i + 1) },
      { action: "delete", ids: [id(4)] },
      { action: "acknowledge", ids: [id(4)], actor: "mallory" },
    ];
    for (const payload of bad) {
      const response = await call("reviewer", "POST", "/discrepancies/bulk/", payload);
      expect({ payload, status: response.status }).toEqual({ payload, status: 400 });
    }
    const ok = await call<BulkReviewResponse>("reviewer", "POST", "/discrepancies/bulk/", {
      action: "acknowledge",
      ids: Array.from({ length: 500 }, (_, i) => 1_000_000 + i),
    });
    expect(ok.body).toMatchObject({ succeeded: 0, failed: 500 });
    const after = (await call<DiscrepancyPage>("viewer", "GET", "/discrepancies/?page_size=500")).body.items;
    expect(after).toEqual(before);
  });

  it("when a viewer or an anonymous caller tries a review action, then it is 403 or 401 and nothing changes", async () => {
    const before: Discrepancy = (await one(6)).body;
    const attempts: Array<[string, unknown]> = [
      ["/discrepancies/bulk/", { action: "acknowledge", ids: [id(6)] }],
      [`/discrepancies/${id(6)}/assign/`, { assignee: "eve" }],
      [`/discrepancies/${id(6)}/comments/`, { note: "hi" }],
    ];
    for (const [url, payload] of attempts) {
      expect((await call("viewer", "POST", url, payload)).status).toBe(403);
      expect((await call(null, "POST", url, payload)).status).toBe(401);
    }
    expect((await call(null, "GET", "/discrepancies/")).status).toBe(401);
    expect((await call(null, "GET", "/discrepancies/counts/")).status).toBe(401);
    expect((await one(6)).body).toEqual(before);
  });

  it("when the four-eyes rule is on, then a bulk resolve refuses, per id, what the same subject acknowledged", async () => {
    const strict = await openTestService(testDb.url, {
      clock: clock.now,
      migrate: false,
      env: { REVIEW_REQUIRE_SECOND_PERSON: "true" },
    });
    const strictApp = await buildTestApp(strict);
    try {
      const as = async (subject: string, payload: unknown) => {
        const response = await strictApp.inject({
          method: "POST",
          url: `${API_PREFIX}/discrepancies/bulk/`,
          headers: { authorization: `Bearer ${await testTokens.token("reviewer", { subject })}` },
          payload: payload as object,
        });
        return response.json() as BulkReviewResponse;
      };
      const ids = [id(4), id(7)];
      expect((await as("ana", { action: "acknowledge", ids })).succeeded).toBe(2);
      const same = await as("ANA", { action: "resolve", ids, note: "done" });
      expect(same.results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["four_eyes", "four_eyes"]);
      expect((await one(4)).body.review_state).toBe("ACKNOWLEDGED");
      const other = await as("bea", { action: "resolve", ids: [id(4)], note: "checked" });
      expect(other.succeeded).toBe(1);
      expect((await one(4)).body.history.at(-1)).toMatchObject({ event: "RESOLVED", actor: "bea" });
    } finally {
      await strictApp.close();
      await strict.close();
    }
  });
});
