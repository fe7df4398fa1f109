import { CompactSign, generateKeyPair, SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import type { HttpApp } from "../http/create-http-app";
import { roleTestApp } from "../testing/test-app";
import { createTestTokens } from "../testing/test-tokens";

const apps: HttpApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const tokens = createTestTokens();
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function app(): Promise<HttpApp> {
  const built = await roleTestApp(tokens.auth());
  apps.push(built);
  return built;
}

async function call(target: HttpApp, authorization?: string, url = "/api/things/") {
  return target.inject({ url, headers: authorization === undefined ? {} : { authorization } });
}

function expectRefused(response: Awaited<ReturnType<typeof call>>, reason: string, token?: string) {
  expect(response.statusCode).toBe(401);
  expect(response.json()).toEqual({
    status_code: 401,
    error: "Unauthorized",
    code: "INVALID_TOKEN",
    message: `token rejected: ${reason}`,
  });
  expect(response.headers["www-authenticate"]).toBe(
    `Bearer realm="smartrecover", error="invalid_token", error_description="${reason}"`,
  );
  if (token) expect(response.body).not.toContain(token);
}

describe("local-mode tokens over HTTP", () => {
  it("when a valid token is sent, then the handler sees its subject and role", async () => {
    const target = await app();
    const response = await call(target, `Bearer ${await tokens.token("viewer", { subject: "alice@example.com" })}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: "alice@example.com", role: "viewer" });
  });

  it("when the scheme is written in lower case, then the token is still accepted (schemes are case-insensitive)", async () => {
    const response = await call(await app(), `bearer ${await tokens.token("viewer")}`);
    expect(response.statusCode).toBe(200);
  });

  it("when no token is sent, then 401 with a bare Bearer challenge in the usual error shape", async () => {
    const response = await call(await app());
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="smartrecover"');
    expect(response.json()).toEqual({
      status_code: 401,
      error: "Unauthorized",
      code: "UNAUTHENTICATED",
      message: "authentication required: send Authorization: Bearer <token>",
    });
  });

  it.each([
    ["another scheme", "Basic YWxpY2U6c2VjcmV0"],
    ["the scheme alone", "Bearer"],
    ["the scheme and blanks", "Bearer    "],
    ["two tokens", "Bearer abc.def.ghi Bearer jkl.mno.pqr"],
    ["a comma list", "Bearer abc.def.ghi, Basic xyz"],
    ["characters outside token68", "Bearer abc<def>.ghi"],
    ["no space", "Bearerabc.def.ghi"],
    ["an oversized token", `Bearer ${"a".repeat(9000)}`],
  ])("when the Authorization header has %s, then 401 invalid_request", async (_case, header) => {
    const response = await call(await app(), header);
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="smartrecover", error="invalid_request"');
    expect(response.json().message).toBe("the Authorization header must read Bearer <token>");
  });

  it.each(["not-a-jwt", "a.b.c", "a.b", "....", "eyJhbGciOiJIUzI1NiJ9.e30", "a.b.c.d"])(
    "when the token is the malformed %j, then 401 malformed",
    async (token) => {
      expectRefused(await call(await app(), `Bearer ${token}`), "malformed");
    },
  );

  it("when a correctly signed token's payload is not JSON, then 401 malformed", async () => {
    const token = await new CompactSign(new TextEncoder().encode("not json"))
      .setProtectedHeader({ alg: "HS256" })
      .sign(tokens.settings.key);
    expectRefused(await call(await app(), `Bearer ${token}`), "malformed");
  });

  it("when the signature was made with another key, then 401: a forged token does not verify", async () => {
    const forged = await tokens.sign(tokens.validClaims({ role: "admin" }), {
      key: new TextEncoder().encode("another-key-of-at-least-thirty-two-bytes!"),
    });
    expectRefused(await call(await app(), `Bearer ${forged}`), "signature does not verify", forged);
  });

  it("when the payload of a valid token is changed to claim admin, then 401: the signature no longer matches", async () => {
    const [header, , signature] = (await tokens.token("viewer")).split(".");
    const tampered = `${header}.${b64(tokens.validClaims({ role: "admin" }))}.${signature}`;
    expectRefused(await call(await app(), `Bearer ${tampered}`, "/api/things/1/redrive/"), "signature does not verify");
  });

  it("when the token says alg none and carries no signature, then 401", async () => {
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(tokens.validClaims({ role: "admin" }))}.`;
    expectRefused(await call(await app(), `Bearer ${unsigned}`), "algorithm not accepted");
  });

  it("when the token is signed with HS512 under the same key, then 401: only HS256 is accepted", async () => {
    const other = await tokens.sign(tokens.validClaims(), { header: { alg: "HS512" } });
    expectRefused(await call(await app(), `Bearer ${other}`), "algorithm not accepted");
  });

  it("when the token is signed with RS256, then 401: asymmetric tokens are not local tokens", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const rs = await new SignJWT(tokens.validClaims()).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
    expectRefused(await call(await app(), `Bearer ${rs}`), "algorithm not accepted");
  });

  it("when the token expired longer ago than the 30 s clock skew, then 401 expired; within it, accepted", async () => {
    const target = await app();
    const expired = await tokens.sign(tokens.validClaims({ iat: now() - 600, exp: now() - 31 }));
    expectRefused(await call(target, `Bearer ${expired}`), "expired");
    const justExpired = await tokens.sign(tokens.validClaims({ iat: now() - 600, exp: now() - 20 }));
    expect((await call(target, `Bearer ${justExpired}`)).statusCode).toBe(200);
  });

  it("when the token is not valid before a time beyond the clock skew, then 401 not yet valid; within it, accepted", async () => {
    const target = await app();
    const later = await tokens.sign(tokens.validClaims({ nbf: now() + 60 }));
    expectRefused(await call(target, `Bearer ${later}`), "not yet valid");
    const soon = await tokens.sign(tokens.validClaims({ nbf: now() + 20 }));
    expect((await call(target, `Bearer ${soon}`)).statusCode).toBe(200);
  });

  it("when the audience or the issuer is another one, then 401 naming which", async () => {
    const target = await app();
    const elsewhere = await tokens.sign(tokens.validClaims({ aud: "some-other-api" }));
    expectRefused(await call(target, `Bearer ${elsewhere}`), "wrong audience");
    const foreign = await tokens.sign(tokens.validClaims({ iss: "https://evil.example" }));
    expectRefused(await call(target, `Bearer ${foreign}`), "wrong issuer");
  });

  it.each(["sub", "exp", "iat", "jti", "iss", "aud"])("when the %s claim is missing, then 401", async (claim) => {
    const claims = tokens.validClaims();
    delete claims[claim];
    const response = await call(await app(), `Bearer ${await tokens.sign(claims)}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("INVALID_TOKEN");
  });

  it("when the token was issued in the future, then 401; when over 30 days ago, then 401 expired whatever its exp", async () => {
    const target = await app();
    const future = await tokens.sign(tokens.validClaims({ iat: now() + 3600, exp: now() + 7200 }));
    expectRefused(await call(target, `Bearer ${future}`), "issued in the future or too long ago");
    const ancient = await tokens.sign(tokens.validClaims({ iat: now() - 31 * 86_400, exp: now() + 600 }));
    expectRefused(await call(target, `Bearer ${ancient}`), "expired");
  });

  it.each(["system", "partner-sync", "risk-service", "System", "system:outbox", "bad subject", ""])(
    "when a correctly signed token names the subject %j, then 401: no token can act as the system",
    async (sub) => {
      const token = await tokens.sign(tokens.validClaims({ sub, role: "admin" }));
      expectRefused(await call(await app(), `Bearer ${token}`, "/api/things/1/redrive/"), "subject not allowed");
    },
  );
});

describe("roles over HTTP", () => {
  const routes = [
    { method: "GET", url: "/api/things/", role: "viewer" },
    { method: "POST", url: "/api/things/1/review/", role: "reviewer" },
    { method: "PUT", url: "/api/things/1/", role: "operator" },
    { method: "POST", url: "/api/things/1/redrive/", role: "admin" },
  ] as const;
  const ladder = ["viewer", "reviewer", "operator", "admin"] as const;

  it("when each role calls each route, then exactly the routes at or below its rank answer, the others 403", async () => {
    const target = await app();
    for (const route of routes) {
      for (const role of ladder) {
        const response = await target.inject({
          method: route.method,
          url: route.url,
          headers: { authorization: `Bearer ${await tokens.token(role)}` },
          payload: route.method === "POST" ? { note: "x" } : undefined,
        });
        const allowed = ladder.indexOf(role) >= ladder.indexOf(route.role);
        expect(response.statusCode, `${role} → ${route.method} ${route.url}`).toBe(allowed ? 200 : 403);
      }
    }
  });

  it("when a role is below the route's, then 403 names the role needed and the one held", async () => {
    const response = await (await app()).inject({
      method: "PUT",
      url: "/api/things/1/",
      headers: { authorization: `Bearer ${await tokens.token("reviewer")}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="smartrecover", error="insufficient_scope"');
    expect(response.json()).toEqual({
      status_code: 403,
      error: "Forbidden",
      code: "FORBIDDEN",
      message: "this route requires the role operator or higher; your token carries reviewer",
    });
  });

  it("when a valid token carries no known role, then it is authenticated but refused 403 on every route", async () => {
    const token = await tokens.sign(tokens.validClaims({ role: "superuser" }));
    const response = await call(await app(), `Bearer ${token}`);
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toBe(
      "this route requires the role viewer or higher; your token carries no known role",
    );
  });

  it("when an unauthenticated request carries a malformed body, then 401: bodies are not read before authentication", async () => {
    const response = await (await app()).inject({
      method: "POST",
      url: "/api/things/1/review/",
      headers: { "content-type": "application/json" },
      payload: '{"note": ',
    });
    expect(response.statusCode).toBe(401);
  });

  it("when the API path is disguised by case or percent-encoding, then it is guarded all the same", async () => {
    const target = await app();
    for (const url of ["/%61pi/things/", "/API/things/", "/Api/things/1/redrive/", "/api/things/1/%72edrive/"]) {
      expect((await target.inject({ method: url.endsWith("redrive/") ? "POST" : "GET", url })).statusCode, url).toBe(
        401,
      );
    }
  });

  it("when an unknown /api/ URL is asked for, then 401 without a token and 404 with one (no route discovery anonymously)", async () => {
    const target = await app();
    expect((await call(target, undefined, "/api/secret-admin/")).statusCode).toBe(401);
    expect((await call(target, `Bearer ${await tokens.token("viewer")}`, "/api/secret-admin/")).statusCode).toBe(404);
  });

  it("when /healthz, /readyz, /metrics and /docs are asked for without a token, then they answer", async () => {
    const target = await app();
    for (const url of ["/healthz", "/readyz", "/metrics", "/docs", "/docs/json"]) {
      expect((await target.inject({ url })).statusCode, url).toBe(200);
    }
  });
});
