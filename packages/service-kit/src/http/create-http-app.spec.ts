import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestTokens } from "../testing/test-tokens";
import { createHttpApp, type HttpApp, ONE_MIB } from "./create-http-app";
import { ConflictError, NotFoundError } from "./http-errors";

const apps: HttpApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function testApp(readinessCheck?: () => Promise<unknown>): Promise<HttpApp> {
  const app = await createHttpApp({
    logger: pino({ level: "silent" }),
    docs: { title: "test", version: "0.0.0" },
    health: { readinessCheck, readinessTimeoutMs: 200 },
    metrics: { defaultMetrics: false },
    auth: createTestTokens().auth(),
  });
  app.post(
    "/things/",
    { schema: { body: z.object({ name: z.string().min(1), count: z.number().int().min(0) }).strict() } },
    async (request) => ({ got: request.body.name }),
  );
  app.get("/boom", async () => {
    throw new Error("secret connection string mysql://user:pw@db");
  });
  app.get("/missing", async () => {
    throw new NotFoundError("thing 7 not found");
  });
  app.get("/busy", async () => {
    throw new ConflictError("already running");
  });
  apps.push(app);
  return app;
}

describe("createHttpApp", () => {
  it("when a body breaks several rules, then 400 lists every offending field with a reason", async () => {
    const app = await testApp();
    const response = await app.inject({ method: "POST", url: "/things/", payload: { name: "", extra: 1 } });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe("VALIDATION_ERROR");
    const byField = Object.fromEntries(body.details.map((d: { field: string; message: string }) => [d.field, d]));
    expect(Object.keys(byField).sort()).toEqual(["count", "extra", "name"]);
    expect(byField.count.message).toBe("is required");
    expect(byField.extra.message).toBe("is not a known field");
    expect(byField.name.location).toBe("body");
  });

  it("when the JSON is malformed, then 400", async () => {
    const app = await testApp();
    const response = await app.inject({
      method: "POST",
      url: "/things",
      headers: { "content-type": "application/json" },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().status_code).toBe(400);
  });

  it("when the body is over 1 MiB, then 413", async () => {
    const app = await testApp();
    const payload = JSON.stringify({ name: "x".repeat(ONE_MIB), count: 1 });
    const response = await app.inject({
      method: "POST",
      url: "/things/",
      headers: { "content-type": "application/json" },
      payload,
    });
    expect(response.statusCode).toBe(413);
  });

  it("when a route path has or lacks a trailing slash, then both match", async () => {
    const app = await testApp();
    for (const url of ["/things", "/things/"]) {
      const response = await app.inject({ method: "POST", url, payload: { name: "a", count: 1 } });
      expect(response.json()).toEqual({ got: "a" });
    }
  });

  it("when the URL is badly percent-encoded, then 400 in the same error shape", async () => {
    const app = await testApp();
    const response = await app.inject({ url: "/things/%E0%A4%A/" });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status_code: 400, code: "FST_ERR_BAD_URL" });
  });

  it("when a handler fails unexpectedly, then 500 reveals nothing of the error", async () => {
    const app = await testApp();
    const response = await app.inject({ url: "/boom" });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("mysql");
    expect(response.body).not.toContain("secret");
    expect(response.json().message).toBe("internal server error");
  });

  it("when handlers throw typed errors, then they map to 404 and 409 with their message", async () => {
    const app = await testApp();
    const missing = await app.inject({ url: "/missing" });
    expect([missing.statusCode, missing.json().message]).toEqual([404, "thing 7 not found"]);
    const busy = await app.inject({ url: "/busy" });
    expect([busy.statusCode, busy.json().code]).toEqual([409, "CONFLICT"]);
    expect((await app.inject({ url: "/no/such/route" })).statusCode).toBe(404);
  });

  it("when the caller sends an X-Request-Id, then it is echoed; otherwise one is generated", async () => {
    const app = await testApp();
    const given = await app.inject({ url: "/healthz", headers: { "x-request-id": "abc-123" } });
    expect(given.headers["x-request-id"]).toBe("abc-123");
    const generated = await app.inject({ url: "/healthz", headers: { "x-request-id": "bad id\u0000" } });
    expect(generated.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("when the readiness check passes, fails or hangs, then /readyz answers 200, 503, 503", async () => {
    const ok = await testApp(async () => true);
    expect((await ok.inject({ url: "/readyz" })).statusCode).toBe(200);
    const failing = await testApp(async () => {
      throw new Error("db down at 10.0.0.7");
    });
    const failed = await failing.inject({ url: "/readyz" });
    expect(failed.statusCode).toBe(503);
    expect(failed.body).not.toContain("10.0.0.7");
    const hanging = await testApp(() => new Promise(() => undefined));
    expect((await hanging.inject({ url: "/readyz" })).statusCode).toBe(503);
    expect((await hanging.inject({ url: "/healthz" })).statusCode).toBe(200);
  });

  it("when requests were answered, then /metrics counts them by route pattern, in this app's registry only", async () => {
    const first = await testApp();
    const second = await testApp();
    await first.inject({ method: "POST", url: "/things/", payload: { name: "a", count: 1 } });
    await first.inject({ method: "POST", url: "/things/", payload: {} });
    const text = (await first.inject({ url: "/metrics" })).body;
    expect(text).toContain('http_requests_total{method="POST",route="/things/",status_code="200"} 1');
    expect(text).toContain('http_requests_total{method="POST",route="/things/",status_code="400"} 1');
    expect(text).toContain("http_request_duration_seconds_bucket");
    expect((await second.inject({ url: "/metrics" })).body).not.toContain('route="/things/"');
  });

  it("when /docs/json is read, then the OpenAPI document describes the routes from their zod schemas", async () => {
    const app = await testApp();
    const doc = (await app.inject({ url: "/docs/json" })).json();
    expect(doc.openapi).toMatch(/^3\.1/);
    const schema = doc.paths["/things/"].post.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["name", "count"]);
    expect((await app.inject({ url: "/docs" })).statusCode).toBe(200);
  });
});
