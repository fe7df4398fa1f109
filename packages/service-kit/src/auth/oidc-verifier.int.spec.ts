import { exportSPKI, importJWK, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, commonEnv, parseConfig } from "../config";
import type { HttpApp } from "../http/create-http-app";
import { type LocalOidcProvider, type OidcTestAlgorithm, startLocalOidcProvider } from "../testing/local-oidc-provider";
import { capturingLogger, roleTestApp } from "../testing/test-app";
import { authEnv, authSettingsFromConfig } from "./auth-env";
import { createOidcVerifier } from "./oidc-verifier";
import type { TokenVerifier } from "./principal";
import { createTokenVerifier } from "./token-verifier";

const Env = z.object({ DATA_DIR: commonEnv.DATA_DIR, ...authEnv });
const apps: HttpApp[] = [];
const providers: LocalOidcProvider[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
afterAll(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.stop()));
});

async function provider(algorithm: OidcTestAlgorithm = "RS256", issuerPath?: string) {
  const started = await startLocalOidcProvider({ algorithm, issuerPath });
  providers.push(started);
  return started;
}

/** The verifier exactly as a service builds it from its environment (discovery, since AUTH_JWKS_URL is unset). */
async function verifierFromEnv(idp: LocalOidcProvider, extra: Record<string, string> = {}): Promise<TokenVerifier> {
  return createTokenVerifier(
    parseConfig(Env, { AUTH_MODE: "oidc", AUTH_ISSUER: idp.issuer, AUTH_AUDIENCE: idp.audience, ...extra }),
  );
}

async function appFor(verifier: TokenVerifier, options: Parameters<typeof roleTestApp>[1] = {}): Promise<HttpApp> {
  const app = await roleTestApp({ verifier, rateLimitPerMinute: 100_000 }, options);
  apps.push(app);
  return app;
}

const get = (app: HttpApp, token: string, url = "/api/things/") =>
  app.inject({ url, headers: { authorization: `Bearer ${token}` } });

function expectRefused(response: Awaited<ReturnType<typeof get>>, reason: string) {
  expect(response.statusCode).toBe(401);
  expect(response.json()).toMatchObject({ code: "INVALID_TOKEN", message: `token rejected: ${reason}` });
  expect(response.headers["www-authenticate"]).toContain('error="invalid_token"');
}

describe("oidc mode against a loopback identity provider", () => {
  it.each(["RS256", "ES256", "EdDSA"] as const)(
    "when the provider signs with %s, then its tokens are accepted with the highest role of the claim",
    async (algorithm) => {
      const idp = await provider(algorithm);
      const app = await appFor(await verifierFromEnv(idp));
      const token = await idp.sign(idp.validClaims({ sub: "olga", roles: ["offline_access", "viewer", "operator"] }));
      const put = await app.inject({
        method: "PUT",
        url: "/api/things/1/",
        headers: { authorization: `Bearer ${token}` },
      });
      expect([put.statusCode, put.json()]).toEqual([200, { subject: "olga", role: "operator" }]);
    },
  );

  it("when AUTH_JWKS_URL is unset, then the JWKS is discovered once and cached across requests", async () => {
    const idp = await provider("RS256", "/realms/smartrecover");
    const app = await appFor(await verifierFromEnv(idp));
    for (let i = 0; i < 5; i++) {
      expect((await get(app, await idp.sign(idp.validClaims({ roles: "viewer" })))).statusCode).toBe(200);
    }
    expect(idp.served).toEqual({ discovery: 1, jwks: 1 });
  });

  it("when AUTH_JWKS_URL is set, then discovery is skipped", async () => {
    const idp = await provider();
    const app = await appFor(await verifierFromEnv(idp, { AUTH_JWKS_URL: idp.jwksUrl.href }));
    expect((await get(app, await idp.sign(idp.validClaims({ roles: "viewer" })))).statusCode).toBe(200);
    expect(idp.served).toEqual({ discovery: 0, jwks: 1 });
  });

  it("when a token is HS256 with any secret, then 401: symmetric algorithms are never accepted in oidc mode", async () => {
    const idp = await provider();
    const app = await appFor(await verifierFromEnv(idp));
    const token = await new SignJWT(idp.validClaims({ roles: "admin" }))
      .setProtectedHeader({ alg: "HS256", kid: idp.currentKid })
      .sign(new TextEncoder().encode("a-secret-of-at-least-thirty-two-bytes!!"));
    expectRefused(await get(app, token), "algorithm not accepted");
  });

  it("when an attacker HMAC-signs with the provider's public key (RS256/HS256 confusion), then 401 in every key encoding", async () => {
    const idp = await provider();
    const app = await appFor(await verifierFromEnv(idp));
    await get(app, await idp.sign(idp.validClaims({ roles: "viewer" }))); // the key set is now cached
    const jwk = idp.publishedKeys()[0] ?? {};
    const publicKey = await importJWK(jwk, "RS256");
    if (publicKey instanceof Uint8Array) throw new Error("the provider published a symmetric key");
    const pem = await exportSPKI(publicKey);
    const secrets = [pem, JSON.stringify(jwk), String(jwk.n)];
    for (const secret of secrets) {
      const token = await new SignJWT(idp.validClaims({ roles: "admin" }))
        .setProtectedHeader({ alg: "HS256", kid: idp.currentKid })
        .sign(new TextEncoder().encode(secret));
      expectRefused(await get(app, token, "/api/things/"), "algorithm not accepted");
    }
  });

  it("when the token is unsigned (alg none), forged with another key under the real kid, or tampered, then 401", async () => {
    const idp = await provider();
    const app = await appFor(await verifierFromEnv(idp));
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const none = `${b64({ alg: "none" })}.${b64(idp.validClaims({ roles: "admin" }))}.`;
    expectRefused(await get(app, none), "algorithm not accepted");
    const forged = await idp.signWithUnpublishedKey(idp.validClaims({ roles: "admin" }), idp.currentKid);
    expectRefused(await get(app, forged), "signature does not verify");
    const [header, , signature] = (await idp.sign(idp.validClaims({ roles: "viewer" }))).split(".");
    expectRefused(
      await get(app, `${header}.${b64(idp.validClaims({ roles: "admin" }))}.${signature}`),
      "signature does not verify",
    );
  });

  it("when the token is expired, not yet valid, for another audience or from another issuer, then 401 naming which", async () => {
    const idp = await provider();
    const app = await appFor(await verifierFromEnv(idp));
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      [{ exp: now - 60 }, "expired"],
      [{ nbf: now + 60 }, "not yet valid"],
      [{ aud: "account" }, "wrong audience"],
      [{ iss: "http://127.0.0.1:1/other" }, "wrong issuer"],
    ] as const;
    for (const [claims, reason] of cases) {
      expectRefused(await get(app, await idp.sign(idp.validClaims({ roles: "viewer", ...claims }))), reason);
    }
  });

  it("when the provider's token names a reserved subject, then 401", async () => {
    const idp = await provider();
    const app = await appFor(await verifierFromEnv(idp));
    expectRefused(
      await get(app, await idp.sign(idp.validClaims({ sub: "partner-sync", roles: "admin" }))),
      "subject not allowed",
    );
  });

  it("when a valid token carries no known role, then 403 naming the role needed", async () => {
    const idp = await provider();
    const app = await appFor(await verifierFromEnv(idp));
    const response = await get(app, await idp.sign(idp.validClaims({ roles: ["uma_authorization"] })));
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toBe(
      "this route requires the role viewer or higher; your token carries no known role",
    );
  });

  it("when AUTH_ROLES_CLAIM names a nested or a namespaced claim, then the role is read from there", async () => {
    const idp = await provider();
    const nested = await appFor(await verifierFromEnv(idp, { AUTH_ROLES_CLAIM: "realm_access.roles" }));
    const keycloakStyle = await idp.sign(idp.validClaims({ realm_access: { roles: ["reviewer"] }, roles: "admin" }));
    expect((await get(nested, keycloakStyle)).json()).toMatchObject({ role: "reviewer" });
    const namespaced = await appFor(
      await verifierFromEnv(idp, { AUTH_ROLES_CLAIM: "https://smartrecover.example/roles" }),
    );
    const auth0Style = await idp.sign(idp.validClaims({ "https://smartrecover.example/roles": ["admin"] }));
    expect((await get(namespaced, auth0Style)).json()).toMatchObject({ role: "admin" });
  });
});

describe("oidc key rotation and outages", () => {
  let idp: LocalOidcProvider;
  beforeAll(async () => {
    idp = await provider();
  });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("when the provider rotates its key, then a token with the new kid is accepted after one refetch", async () => {
    const verifier = createOidcVerifier({
      issuer: idp.issuer,
      audience: idp.audience,
      jwksUrl: idp.jwksUrl,
      rolesClaim: "roles",
      cooldownMs: 200,
    });
    const app = await appFor(verifier);
    expect((await get(app, await idp.sign(idp.validClaims({ roles: "viewer" })))).statusCode).toBe(200);
    const fetchedBefore = idp.served.jwks;
    await idp.rotateKey();
    await sleep(250);
    expect((await get(app, await idp.sign(idp.validClaims({ roles: "viewer" })))).statusCode).toBe(200);
    expect(idp.served.jwks).toBe(fetchedBefore + 1);
  });

  it("when kids that never appear keep arriving, then 401 each time and the JWKS is fetched at most once per cooldown", async () => {
    const verifier = createOidcVerifier({
      issuer: idp.issuer,
      audience: idp.audience,
      jwksUrl: idp.jwksUrl,
      rolesClaim: "roles",
      cooldownMs: 60_000,
    });
    const app = await appFor(verifier);
    expect((await get(app, await idp.sign(idp.validClaims({ roles: "viewer" })))).statusCode).toBe(200);
    const fetchedBefore = idp.served.jwks;
    for (let i = 0; i < 10; i++) {
      const token = await idp.signWithUnpublishedKey(idp.validClaims({ roles: "admin" }), `ghost-${i}`);
      expectRefused(await get(app, token), "unknown signing key");
    }
    expect(idp.served.jwks).toBe(fetchedBefore);
  });

  it("when the JWKS cannot be fetched, then 503 with Retry-After, the provider is not hammered, and it recovers", async () => {
    const { logger, logs } = capturingLogger();
    const verifier = createOidcVerifier({
      issuer: idp.issuer,
      audience: idp.audience,
      jwksUrl: idp.jwksUrl,
      rolesClaim: "roles",
      failureBackoffMs: 300,
      logger,
    });
    const app = await appFor(verifier, { logger });
    const token = await idp.sign(idp.validClaims({ roles: "viewer" }));
    idp.jwksDown = true;
    const fetchedBefore = idp.served.jwks;
    const down = await get(app, token);
    expect(down.statusCode).toBe(503);
    expect(down.headers["retry-after"]).toBe("10");
    expect(down.json()).toMatchObject({ status_code: 503, code: "AUTH_UNAVAILABLE" });
    for (let i = 0; i < 5; i++) expect((await get(app, token)).statusCode).toBe(503);
    expect(idp.served.jwks).toBe(fetchedBefore + 1);
    idp.jwksDown = false;
    await sleep(350);
    expect((await get(app, token)).statusCode).toBe(200);
    expect(logs.text()).toContain("identity provider keys could not be fetched");
    expect(logs.text()).not.toContain(token);
  });

  it("when the discovery document names another issuer, then 503 and the mismatch is logged", async () => {
    const { logger, logs } = capturingLogger();
    const verifier = createOidcVerifier({
      issuer: `${idp.issuer}/`,
      audience: idp.audience,
      jwksUrl: undefined,
      rolesClaim: "roles",
      logger,
    });
    const app = await appFor(verifier, { logger });
    expect((await get(app, await idp.sign(idp.validClaims({ roles: "viewer" })))).statusCode).toBe(503);
    expect(logs.text()).toContain(`names the issuer ${idp.issuer}, not ${idp.issuer}/`);
  });
});

describe("oidc configuration", () => {
  const settings = (env: Record<string, string>) => () => authSettingsFromConfig(parseConfig(Env, env));

  it("when AUTH_MODE=oidc has no AUTH_ISSUER, then a config error names the variable", () => {
    expect(settings({ AUTH_MODE: "oidc" })).toThrow(
      new ConfigError("invalid configuration:\n  AUTH_ISSUER: is required when AUTH_MODE=oidc"),
    );
  });

  it("when the issuer or JWKS URL is plain http to another machine, then a config error; loopback http is allowed", () => {
    expect(settings({ AUTH_MODE: "oidc", AUTH_ISSUER: "http://idp.example.com" })).toThrow(
      /AUTH_ISSUER: must be an https URL/,
    );
    expect(
      settings({
        AUTH_MODE: "oidc",
        AUTH_ISSUER: "https://idp.example.com",
        AUTH_JWKS_URL: "http://idp.example.com/jwks",
      }),
    ).toThrow(/AUTH_JWKS_URL: must be an https URL/);
    expect(settings({ AUTH_MODE: "oidc", AUTH_ISSUER: "not a url" })).toThrow(/AUTH_ISSUER: must be a URL/);
    expect(settings({ AUTH_MODE: "oidc", AUTH_ISSUER: "http://127.0.0.1:8080/realms/x" })()).toMatchObject({
      mode: "oidc",
      jwksUrl: undefined,
    });
  });
});
