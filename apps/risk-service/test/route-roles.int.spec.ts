import { assertEveryApiRouteGuarded } from "@smartrecover/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, startTestApi, type TestApi } from "./api-fixtures";
import { testTokens } from "./service-fixtures";

// domain.md §9, written out here and not read from the routes: reading is viewer, changing
// debtors, scoring and starting runs is operator.
const EXPECTED = [
  ["GET", "/debtors/", "viewer"],
  ["POST", "/debtors/", "operator"],
  ["GET", "/debtors/high-risk/", "viewer"],
  ["GET", "/debtors/priority/", "viewer"],
  ["GET", "/debtors/:id/", "viewer"],
  ["PUT", "/debtors/:id/", "operator"],
  ["PATCH", "/debtors/:id/", "operator"],
  ["GET", "/debtors/:id/score/", "viewer"],
  ["POST", "/debtors/:id/score/", "operator"],
  ["GET", "/process-runs/", "viewer"],
  ["POST", "/process-runs/", "operator"],
  ["GET", "/process-runs/:id/", "viewer"],
].map(([method, path, role]) => `${method} ${API}${path} ${role}`);

describe("risk-service route roles (domain.md §9)", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi("sqlite", "route_roles");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("when every /api/ route is called without a token and with the role just below its own, then 401 and 403, and the roles are §9's", async () => {
    const checked = await assertEveryApiRouteGuarded(api.app, { token: (role) => testTokens.token(role) });
    expect(checked.map((route) => `${route.method} ${route.url} ${route.role}`).sort()).toEqual([...EXPECTED].sort());
  });

  it("when /healthz, /readyz, /metrics and /docs are asked for without a token, then they answer", async () => {
    for (const url of ["/healthz", "/readyz", "/metrics", "/docs/json"]) {
      expect((await api.inject(url, "anonymous")).statusCode, url).toBe(200);
    }
  });

  it("when a token is forged or the role too low, then nothing is read or written", async () => {
    const forged = await testTokens.sign(testTokens.validClaims({ role: "admin" }), {
      key: new TextEncoder().encode("another key that is at least 32 bytes long!"),
    });
    const create = await api.inject({
      method: "POST",
      url: `${API}/debtors/`,
      headers: { authorization: `Bearer ${forged}` },
      payload: { name: "x" },
    });
    expect([create.statusCode, create.headers["www-authenticate"]?.toString().startsWith("Bearer")]).toEqual([
      401,
      true,
    ]);
    const asViewer = await api.inject({ method: "POST", url: `${API}/debtors/`, payload: { name: "x" } }, "viewer");
    expect([asViewer.statusCode, asViewer.json().message]).toEqual([403, expect.stringContaining("operator")]);
    expect(await api.db.query("SELECT id FROM debtors")).toEqual([]);
  });
});
