import { afterEach, describe, expect, it } from "vitest";
import { capturingLogger, roleTestApp } from "../testing/test-app";
import { createTestTokens } from "../testing/test-tokens";
import type { HttpApp } from "./create-http-app";

const apps: HttpApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const tokens = createTestTokens();

async function app(rateLimitPerMinute = 100_000, options: Parameters<typeof roleTestApp>[1] = {}): Promise<HttpApp> {
  const built = await roleTestApp(tokens.auth(rateLimitPerMinute), options);
  apps.push(built);
  return built;
}

const as = async (role: "viewer" | "admin", subject: string) => ({
  authorization: `Bearer ${await tokens.token(role, { subject })}`,
});

describe("security headers", () => {
  it("when any response is sent (API, health, docs, errors), then helmet's headers are on it", async () => {
    const target = await app();
    for (const url of ["/api/things/", "/healthz", "/docs", "/no/such/page"]) {
      const headers = (await target.inject({ url })).headers;
      expect(headers["x-content-type-options"], url).toBe("nosniff");
      expect(headers["x-frame-options"], url).toBe("SAMEORIGIN");
      expect(headers["strict-transport-security"], url).toMatch(/^max-age=\d+/);
      expect(headers["referrer-policy"], url).toBe("no-referrer");
      expect(headers["content-security-policy"], url).toContain("default-src 'self'");
      expect(headers["content-security-policy"], url).not.toContain("upgrade-insecure-requests");
    }
  });

  it("when API answers of any status are sent, then they carry Cache-Control: no-store; health answers do not need it", async () => {
    const target = await app(3);
    const viewer = await as("viewer", "cache-probe");
    const answers = [
      await target.inject({ url: "/api/things/", headers: viewer }),
      await target.inject({ url: "/api/things/" }),
      await target.inject({ url: "/api/things/1/redrive/", method: "POST", headers: viewer }),
      await target.inject({ url: "/api/nothing-here/", headers: viewer }),
      await target.inject({ url: "/api/things/", headers: viewer }),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 401, 403, 404, 429]);
    for (const answer of answers) expect(answer.headers["cache-control"]).toBe("no-store");
    expect((await target.inject({ url: "/healthz" })).headers["cache-control"]).toBeUndefined();
  });
});

describe("rate limiting", () => {
  it("when a subject exceeds its requests per minute, then 429 with Retry-After in the usual shape; another subject is unaffected", async () => {
    const target = await app(5);
    const alice = await as("viewer", "alice");
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await target.inject({ url: "/api/things/", headers: alice })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await target.inject({ url: "/api/things/", headers: alice });
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json()).toEqual({
      status_code: 429,
      error: "Too Many Requests",
      code: "RATE_LIMITED",
      message: `too many requests; retry in ${retryAfter} s`,
    });
    expect((await target.inject({ url: "/api/things/", headers: await as("viewer", "bob") })).statusCode).toBe(200);
  });

  it("when one subject holds several tokens, then they share one budget (the key is the subject, not the token)", async () => {
    const target = await app(4);
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await target.inject({ url: "/api/things/", headers: await as("viewer", "carol") })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it("when anonymous requests from one address exceed the limit, then 429 for that address only, and authenticated callers there still pass", async () => {
    const target = await app(3);
    const anonymous = [];
    for (let i = 0; i < 4; i++) anonymous.push((await target.inject({ url: "/api/things/" })).statusCode);
    expect(anonymous).toEqual([401, 401, 401, 429]);
    expect((await target.inject({ url: "/api/things/", remoteAddress: "10.0.0.9" })).statusCode).toBe(401);
    expect((await target.inject({ url: "/api/things/", headers: await as("viewer", "dave") })).statusCode).toBe(200);
  });

  it("when health, metrics and docs are asked for far beyond the limit, then they are never limited", async () => {
    const target = await app(2);
    for (let i = 0; i < 10; i++) {
      for (const url of ["/healthz", "/readyz", "/metrics", "/docs/json"]) {
        expect((await target.inject({ url })).statusCode, url).toBe(200);
      }
    }
  });
});

describe("load shedding", () => {
  it("when the event loop has been blocked beyond the threshold, then API calls get 503 with Retry-After while /healthz and /metrics answer", async () => {
    const target = await app(100_000, { server: { maxEventLoopDelayMs: 100 }, loadSampleIntervalMs: 50 });
    await target.ready();
    const viewer = await as("viewer", "under-load");
    // Building the app is itself a burst of lag: wait until the sampler has seen calm.
    const settledStatus = async () => {
      let status = 0;
      for (let attempt = 0; attempt < 30 && status !== 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await target.inject({ url: "/api/things/", headers: viewer })).statusCode;
      }
      return status;
    };
    expect(await settledStatus()).toBe(200);
    // under-pressure compares the mean lag of one sample interval: a block forty times the
    // interval lifts it far above the threshold however the block falls within the interval.
    const until = Date.now() + 2000;
    while (Date.now() < until) {
      // Busy on purpose: this is the lag under-pressure measures.
    }
    // The sampler may read the lag one interval late; the shed state then lasts one interval.
    for (let waited = 0; !target.isUnderPressure() && waited < 500; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const [shed, health, metrics] = await Promise.all([
      target.inject({ url: "/api/things/", headers: viewer }),
      target.inject({ url: "/healthz" }),
      target.inject({ url: "/metrics" }),
    ]);
    expect(shed.statusCode).toBe(503);
    expect(shed.headers["retry-after"]).toBe("5");
    expect(shed.json()).toEqual({
      status_code: 503,
      error: "Service Unavailable",
      code: "OVERLOADED",
      message: "the server is overloaded; try again shortly",
    });
    expect([health.statusCode, metrics.statusCode]).toEqual([200, 200]);
    expect(await settledStatus()).toBe(200);
  });
});

describe("secrets in logs and error bodies", () => {
  it("when tokens good and bad pass through at trace level, then no log line and no body contains a token or the signing key", async () => {
    const { logger, logs } = capturingLogger();
    const target = await app(4, { logger });
    target.get("/api/boom/", { config: { role: "viewer" } }, async () => {
      throw new Error("database unreachable");
    });
    const good = await tokens.token("viewer", { subject: "logged-user" });
    const forged = await tokens.sign(tokens.validClaims(), { key: new TextEncoder().encode("x".repeat(40)) });
    const expired = await tokens.sign(tokens.validClaims({ exp: 1000, iat: 900 }));
    const sent = [good, forged, expired];
    const bodies: string[] = [];
    const requests = [
      { url: "/api/things/", token: good },
      { url: "/api/things/1/redrive/", method: "POST", token: good },
      { url: "/api/boom/", token: good },
      { url: "/api/things/", token: forged },
      { url: "/api/things/", token: expired },
      { url: "/api/things/", token: good },
      { url: "/api/things/", token: good },
      { url: `/api/things/?token=${good}`, token: undefined },
    ] as const;
    for (const request of requests) {
      const response = await target.inject({
        url: request.url,
        method: "method" in request ? request.method : "GET",
        headers: request.token ? { authorization: `Bearer ${request.token}` } : {},
      });
      bodies.push(response.body);
    }
    logger.info({ config: { AUTH_SIGNING_KEY: tokens.signingKey, LOG_LEVEL: "trace" } }, "configuration loaded");
    logger.info({ headers: { authorization: `Bearer ${good}` } }, "outgoing call");

    expect(logs.lines.length).toBeGreaterThan(10);
    expect(logs.text()).toContain("[redacted]");
    const [headerPart, payloadPart, signaturePart] = good.split(".");
    for (const secret of [...sent.map((token) => token.split(".")[2]), tokens.signingKey, signaturePart]) {
      expect(logs.text()).not.toContain(secret);
      for (const body of bodies) expect(body).not.toContain(secret);
    }
    expect(bodies.join("\n")).not.toContain(`${headerPart}.${payloadPart}`);
    expect(bodies[2]).toContain("internal server error");
  });
});
