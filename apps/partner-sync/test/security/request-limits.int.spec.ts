import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import type { HttpApp } from "@smartrecover/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_PREFIX } from "../../src/app";
import { createMessageApplier } from "../../src/reconciliation/message-applier";
import type { PartnerSync } from "../../src/service";
import { makeMessage, snapshotTables } from "../support/fixtures";
import { discrepancies } from "../support/tables";
import { authorization, buildTestApp, openTestService } from "../support/test-service";

const ONE_MIB = 1024 * 1024;

// Size limits of the partner-sync API: each is enforced and the answer names the limit.
describe("partner-sync request limits", () => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let db: ServiceDatabase;
  let app: HttpApp;
  let discrepancyId: number;

  beforeAll(async () => {
    testDb = createTestDatabase("sqlite", "sec_limits");
    sync = await openTestService(testDb.url);
    db = sync.db;
    const applier = createMessageApplier(db, {
      partnerName: "simulated-partner",
      tolerancePercent: 1,
      simulatorSeed: 42,
      missingProbability: 1,
    });
    await applier.applyBatch([makeMessage({ debtor_id: 7 })]);
    const [discrepancy] = await discrepancies(db);
    discrepancyId = discrepancy?.id ?? -1;
    app = await buildTestApp(sync);
  });

  afterAll(async () => {
    await app?.close();
    await sync?.close();
    await testDb?.drop();
  });

  it.each([
    ["/discrepancies/?page_size=501", "page_size", "500"],
    ["/discrepancies/?page=1000001", "page", "1000000"],
    ["/poison-messages/?limit=1001", "limit", "1000"],
    [`/discrepancies/?partner_name=${"p".repeat(65)}`, "partner_name", "64"],
    ["/reports/reconciliation/?max_age_days=100001", "max_age_days", "100000"],
    ["/discrepancies/?min_age_days=-1", "min_age_days", "0"],
  ])("when %s passes a limit, then 400 names the field and the limit", async (url, field, limit) => {
    const response = await app.inject({ url: `${API_PREFIX}${url}`, headers: await authorization("admin") });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([
      { location: "querystring", field, message: expect.stringContaining(limit) },
    ]);
  });

  it("when an age is not a number at all, then 400 says it must be a number", async () => {
    const response = await app.inject({
      url: `${API_PREFIX}/discrepancies/?max_age_days=soon`,
      headers: await authorization("viewer"),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([
      { location: "querystring", field: "max_age_days", message: "must be a number" },
    ]);
  });

  it.each([["note", { note: "n".repeat(2001) }, "2000"]])(
    "when the %s of a review step is too long, then 400 names it and the limit, and nothing changes",
    async (field, body, limit) => {
      const before = await snapshotTables(db);
      const response = await app.inject({
        method: "POST",
        url: `${API_PREFIX}/discrepancies/${discrepancyId}/acknowledge/`,
        headers: await authorization("reviewer"),
        payload: body,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().details).toEqual([{ location: "body", field, message: expect.stringContaining(limit) }]);
      expect(await snapshotTables(db)).toEqual(before);
      expect((await discrepancies(db)).map((d) => [d.id, d.reviewState])).toEqual([[discrepancyId, "OPEN"]]);
    },
  );

  it("when a review body is over 1 MiB, then the answer is 413 in the common error shape and nothing changes", async () => {
    const before = await snapshotTables(db);
    const response = await app.inject({
      method: "POST",
      url: `${API_PREFIX}/discrepancies/${discrepancyId}/acknowledge/`,
      headers: { "content-type": "application/json", ...(await authorization("reviewer")) },
      payload: JSON.stringify({ note: "n".repeat(ONE_MIB) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status_code: 413, error: "Payload Too Large" });
    expect(await snapshotTables(db)).toEqual(before);
  });
});
