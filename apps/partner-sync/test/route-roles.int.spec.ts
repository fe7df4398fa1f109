import { createTestDatabase, type TestDatabase } from "@smartrecover/db-kit/testing";
import type { HttpApp } from "@smartrecover/service-kit";
import { assertEveryApiRouteGuarded } from "@smartrecover/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_PREFIX } from "../src/app";
import type { PartnerSync } from "../src/service";
import { buildTestApp, openTestService, testTokens } from "./support/test-service";

// domain.md §9, written out here and not read from the routes: reading is viewer, review steps
// (assign, comment, bulk) and the report export are reviewer, importing a partner book is operator,
// poison messages and the dead-letter queue (list, redrive) are admin.
const EXPECTED = [
  ["GET", "/discrepancies/", "viewer"],
  ["GET", "/discrepancies/:id/", "viewer"],
  ["POST", "/discrepancies/:id/acknowledge/", "reviewer"],
  ["POST", "/discrepancies/:id/resolve/", "reviewer"],
  ["GET", "/summary/", "viewer"],
  ["GET", "/reports/reconciliation/", "reviewer"],
  ["GET", "/discrepancies/counts/", "viewer"],
  ["POST", "/discrepancies/bulk/", "reviewer"],
  ["POST", "/discrepancies/:id/assign/", "reviewer"],
  ["POST", "/discrepancies/:id/comments/", "reviewer"],
  ["GET", "/poison-messages/", "admin"],
  ["GET", "/dead-letters/", "admin"],
  ["POST", "/dead-letters/redrive/", "admin"],
  ["POST", "/partner-books/", "operator"],
  ["GET", "/partner-books/", "viewer"],
  ["GET", "/partner-books/:id/", "viewer"],
].map(([method, path, role]) => `${method} ${API_PREFIX}${path} ${role}`);

describe("partner-sync route roles (domain.md §9)", () => {
  let testDb: TestDatabase;
  let sync: PartnerSync;
  let app: HttpApp;
  beforeAll(async () => {
    testDb = createTestDatabase("sqlite", "route_roles");
    sync = await openTestService(testDb.url);
    app = await buildTestApp(sync);
  });
  afterAll(async () => {
    await app?.close();
    await sync?.close();
    await testDb?.drop();
  });

  it("when every /api/ route is called without a token and with the role just below its own, then 401 and 403, and the roles are §9's", async () => {
    const checked = await assertEveryApiRouteGuarded(app, { token: (role) => testTokens.token(role) });
    expect(checked.map((route) => `${route.method} ${route.url} ${route.role}`).sort()).toEqual([...EXPECTED].sort());
  });

  it("when /healthz, /readyz, /metrics and /docs are asked for without a token, then they answer", async () => {
    for (const url of ["/healthz", "/readyz", "/metrics", "/docs/json"]) {
      expect((await app.inject({ url })).statusCode, url).toBe(200);
    }
  });

  it("when the OpenAPI document is read, then it declares the bearer scheme and each route's role", async () => {
    const doc = (await app.inject({ url: "/docs/json" })).json();
    expect(Object.values(doc.components.securitySchemes ?? {})).toContainEqual(
      expect.objectContaining({ type: "http", scheme: "bearer" }),
    );
    expect(doc.paths[`${API_PREFIX}/poison-messages/`].get["x-required-role"]).toBe("admin");
  });
});
