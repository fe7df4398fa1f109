import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpApp, type HttpApp } from "../http/create-http-app";
import { createLogger } from "../logger";
import { assertEveryApiRouteGuarded } from "../testing/route-guard-assertion";
import { roleTestApp } from "../testing/test-app";
import { createTestTokens } from "../testing/test-tokens";
import { authPlugin } from "./auth.plugin";

const apps: HttpApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const tokens = createTestTokens();

async function bareApp(): Promise<HttpApp> {
  const app = await createHttpApp({
    logger: createLogger({ level: "silent", name: "test" }),
    docs: { title: "t", version: "0" },
    metrics: { defaultMetrics: false },
    auth: tokens.auth(),
  });
  apps.push(app);
  return app;
}

describe("route roles", () => {
  it("when an /api/ route is registered without a role, then registration fails naming the route", async () => {
    const app = await bareApp();
    expect(() => app.get("/api/debtors/", async () => [])).toThrow(
      'route GET /api/debtors/ needs a role: add config: { role: "…" } (one of viewer, reviewer, operator, admin)',
    );
  });

  it("when a plugin under an /api prefix adds a route without a role, then the app fails to start", async () => {
    const app = await bareApp();
    const plugin = async (child: HttpApp) => {
      child.post("/runs/", { config: { role: "operator" } }, async () => ({}));
      child.delete("/runs/:id/", async () => ({}));
    };
    await expect(app.register(plugin, { prefix: "/api/risk_service" })).rejects.toThrow(
      "route DELETE /api/risk_service/runs/:id/ needs a role",
    );
  });

  it("when a route's role is not one of the four, then registration fails", async () => {
    const app = await bareApp();
    const config: Record<string, unknown> = { role: "superuser" };
    expect(() => app.route({ method: "GET", url: "/api/x/", config, handler: async () => ({}) })).toThrow(
      /needs a role/,
    );
  });

  it("when a route outside /api/ has no role, then it registers and answers without a token", async () => {
    const app = await bareApp();
    app.get("/version", async () => ({ version: "1" }));
    expect((await app.inject({ url: "/version" })).statusCode).toBe(200);
  });

  it("when a route outside /api/ declares a role, then it is guarded like an API route", async () => {
    const app = await bareApp();
    app.get("/internal/state", { config: { role: "admin" } }, async () => ({}));
    expect((await app.inject({ url: "/internal/state" })).statusCode).toBe(401);
    const asOperator = { authorization: `Bearer ${await tokens.token("operator")}` };
    expect((await app.inject({ url: "/internal/state", headers: asOperator })).statusCode).toBe(403);
  });

  it("when a handler runs, then request.principal holds the token's subject, role, jti and expiry", async () => {
    const app = await bareApp();
    app.get("/api/me/", { config: { role: "viewer" } }, async (request) => request.principal);
    const token = await tokens.token("reviewer", { subject: "rev.1" });
    const { jti, exp } = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
    const response = await app.inject({ url: "/api/me/", headers: { authorization: `Bearer ${token}` } });
    expect(response.json()).toEqual({
      subject: "rev.1",
      role: "reviewer",
      tokenId: jti,
      expiresAt: new Date(exp * 1000).toISOString(),
    });
  });

  it("when request.principal is read on a route without a role, then it throws instead of inventing a caller", async () => {
    const app = await bareApp();
    app.get("/open", async (request) => request.principal.subject);
    const response = await app.inject({ url: "/open" });
    expect(response.statusCode).toBe(500);
  });
});

describe("the OpenAPI document", () => {
  it("when routes declare roles, then each is documented with the bearer scheme, its role and 401/403/429", async () => {
    const app = await roleTestApp(tokens.auth());
    apps.push(app);
    const doc = (await app.inject({ url: "/docs/json" })).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    const expected = {
      "/api/things/": ["get", "viewer"],
      "/api/things/{id}/review/": ["post", "reviewer"],
      "/api/things/{id}/": ["put", "operator"],
      "/api/things/{id}/redrive/": ["post", "admin"],
    };
    for (const [path, [method = "", role]] of Object.entries(expected)) {
      const operation = doc.paths[path][method];
      expect(operation.security, path).toEqual([{ bearerAuth: [] }]);
      expect(operation["x-required-role"], path).toBe(role);
      expect(operation.description, path).toMatch(new RegExp(`^Requires the role \\*\\*${role}\\*\\* or higher\\.`));
      expect(Object.keys(operation.responses), path).toEqual(expect.arrayContaining(["401", "403", "429"]));
    }
    expect(doc.paths["/api/things/"].get.summary).toBe("List things");
    expect(doc.paths["/healthz"].get.security).toBeUndefined();
  });
});

describe("assertEveryApiRouteGuarded", () => {
  it("when every /api/ route is guarded, then it passes and returns the routes it checked with their roles", async () => {
    const app = await roleTestApp(tokens.auth());
    apps.push(app);
    const checked = await assertEveryApiRouteGuarded(app, { token: (role) => tokens.token(role) });
    expect(checked).toEqual([
      { method: "GET", url: "/api/things/", role: "viewer" },
      { method: "POST", url: "/api/things/:id/review/", role: "reviewer" },
      { method: "PUT", url: "/api/things/:id/", role: "operator" },
      { method: "POST", url: "/api/things/:id/redrive/", role: "admin" },
    ]);
  });

  it("when something answers a guarded route before authentication, then it fails listing that route", async () => {
    const app = Fastify({ logger: false });
    // A hook registered ahead of the auth plugin short-circuits one route: the walker must notice.
    app.addHook("onRequest", async (request, reply) => {
      if (request.url.startsWith("/api/leaky")) await reply.send({ leaked: true });
    });
    await app.register(authPlugin, tokens.auth());
    app.get("/api/leaky/", { config: { role: "operator" } }, async () => ({}));
    app.get("/api/fine/", { config: { role: "operator" } }, async () => ({}));
    await expect(assertEveryApiRouteGuarded(app, { token: (role) => tokens.token(role) })).rejects.toThrow(
      /1 \/api\/ route\(s\) not guarded as declared:\nGET \/api\/leaky\/: without a token got 200, want 401 with WWW-Authenticate: Bearer\nGET \/api\/leaky\/: as reviewer got 200, want 403 naming the role operator$/,
    );
    await app.close();
  });

  it("when the tokens given are of the wrong role, then it fails instead of passing vacuously", async () => {
    const app = await roleTestApp(tokens.auth());
    apps.push(app);
    await expect(assertEveryApiRouteGuarded(app, { token: () => tokens.token("admin") })).rejects.toThrow(
      /^3 \/api\/ route\(s\) not guarded as declared:\nPOST \/api\/things\/:id\/review\/: as viewer got 400/,
    );
  });
});
