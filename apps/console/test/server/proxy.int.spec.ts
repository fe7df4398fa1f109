import { createHash } from "node:crypto";
import { createLocalVerifier, loadOrCreateSigningKey } from "@smartrecover/service-kit";
import { jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { API_TOKEN_TTL_SECONDS } from "../../src/server/app";
import { PASSWORDS, type RunningConsole, signIn, startConsole, TEST_SIGNING_KEY } from "./console-test-kit";
import { type EchoedRequest, startEchoUpstream } from "./echo-upstream";

let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let running: RunningConsole;

beforeEach(async () => {
  upstream = await startEchoUpstream();
  running = await startConsole({
    RISK_SERVICE_URL: upstream.url,
    PARTNER_SYNC_URL: upstream.url,
    AUTH_ISSUER: "test-issuer",
    AUTH_AUDIENCE: "test-audience",
  });
});
afterEach(async () => {
  await running.close();
  await upstream.app.close();
});

describe("API proxy", () => {
  it("when a signed-in user reads, then the service gets the path, the query and a bearer token for that user, and no cookie", async () => {
    const { cookie } = await signIn(running.url, "reviewer", PASSWORDS.reviewer);
    const response = await fetch(`${running.url}/api/partner_sync/discrepancies/?status=OPEN&sort=priority`, {
      headers: { cookie, authorization: "Bearer forged-by-the-browser", "x-csrf-token": "irrelevant" },
    });
    expect(response.status).toBe(200);
    const seen = (await response.json()) as EchoedRequest;
    expect(seen.url).toBe("/api/partner_sync/discrepancies/?status=OPEN&sort=priority");
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers["x-csrf-token"]).toBeUndefined();
    const token = String(seen.headers.authorization).replace(/^Bearer /, "");
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(TEST_SIGNING_KEY), {
      issuer: "test-issuer",
      audience: "test-audience",
      algorithms: ["HS256"],
    });
    expect(protectedHeader.alg).toBe("HS256");
    expect(payload).toMatchObject({ sub: "reviewer", role: "reviewer" });
    expect(typeof payload.jti).toBe("string");
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(API_TOKEN_TTL_SECONDS);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("when no AUTH_SIGNING_KEY is set, then the token is signed with the services' key file under DATA_DIR and their verifier accepts it", async () => {
    const keyless = await startConsole({ RISK_SERVICE_URL: upstream.url, AUTH_SIGNING_KEY: "" });
    try {
      const { cookie } = await signIn(keyless.url, "operator", PASSWORDS.operator);
      const response = await fetch(`${keyless.url}/api/risk_service/debtors/`, { headers: { cookie } });
      const seen = (await response.json()) as EchoedRequest;
      const token = String(seen.headers.authorization).replace(/^Bearer /, "");
      // The services' own verifier with the key file a service would create or read in the same DATA_DIR.
      const key = await loadOrCreateSigningKey(keyless.config.DATA_DIR);
      const verifier = createLocalVerifier({
        key: new TextEncoder().encode(key),
        issuer: "smartrecover",
        audience: "smartrecover-api",
      });
      expect(await verifier.verify(token)).toMatchObject({ subject: "operator", role: "operator" });
      await expect(
        createLocalVerifier({
          key: new TextEncoder().encode(TEST_SIGNING_KEY),
          issuer: "smartrecover",
          audience: "smartrecover-api",
        }).verify(token),
      ).rejects.toThrow();
    } finally {
      await keyless.close();
    }
  });

  it("when there is no session, then 401 and the service is never called", async () => {
    const response = await fetch(`${running.url}/api/risk_service/debtors/`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "SESSION_REQUIRED" });
    expect(upstream.received).toHaveLength(0);
  });

  it("when a state-changing call lacks the CSRF header, then 403 and the service is never called", async () => {
    const { cookie } = await signIn(running.url, "reviewer", PASSWORDS.reviewer);
    const response = await fetch(`${running.url}/api/partner_sync/discrepancies/7/acknowledge/`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ note: "seen" }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "CSRF_TOKEN_INVALID" });
    expect(upstream.received).toHaveLength(0);
  });

  it("when a state-changing call carries the CSRF header, then the JSON body arrives byte for byte", async () => {
    const { cookie, csrf } = await signIn(running.url, "operator", PASSWORDS.operator);
    const body = JSON.stringify({ batch_size: 250, threshold: "750000.50" });
    const response = await fetch(`${running.url}/api/risk_service/process-runs/`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", "x-csrf-token": csrf },
      body,
    });
    expect(response.status).toBe(200);
    const seen = (await response.json()) as EchoedRequest;
    expect(seen).toMatchObject({ method: "POST", url: "/api/risk_service/process-runs/" });
    expect(seen.bodySha256).toBe(createHash("sha256").update(body).digest("hex"));
    expect(seen.headers["content-type"]).toBe("application/json");
  });

  it("when a partner book is uploaded as multipart, then the service receives the same bytes and boundary", async () => {
    const { cookie, csrf } = await signIn(running.url, "operator", PASSWORDS.operator);
    const csv = `debtor_id,balance,status\n${Array.from({ length: 20_000 }, (_, i) => `${i + 1},${i}.50,UNPAID`).join("\n")}\n`;
    const form = new FormData();
    form.append("file", new Blob([csv], { type: "text/csv" }), "book.csv");
    const request = new Request(`${running.url}/api/partner_sync/partner-books/?partner=acme`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf },
      body: form,
    });
    const sent = Buffer.from(await request.clone().arrayBuffer());
    const contentType = request.headers.get("content-type") ?? "";
    const response = await fetch(request);
    expect(response.status).toBe(200);
    const seen = (await response.json()) as EchoedRequest;
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.headers["content-type"]).toBe(contentType);
    expect(seen.bodyBytes).toBe(sent.length);
    expect(seen.bodySha256).toBe(createHash("sha256").update(sent).digest("hex"));
  });

  it("when the two services are asked, then each prefix goes to its own upstream", async () => {
    const other = await startEchoUpstream();
    const split = await startConsole({ RISK_SERVICE_URL: upstream.url, PARTNER_SYNC_URL: other.url });
    try {
      const { cookie } = await signIn(split.url, "viewer", PASSWORDS.viewer);
      await fetch(`${split.url}/api/risk_service/debtors/1/`, { headers: { cookie } });
      await fetch(`${split.url}/api/partner_sync/summary/`, { headers: { cookie } });
      expect(upstream.received.map((seen) => seen.url)).toEqual(["/api/risk_service/debtors/1/"]);
      expect(other.received.map((seen) => seen.url)).toEqual(["/api/partner_sync/summary/"]);
    } finally {
      await split.close();
      await other.app.close();
    }
  });

  it("when the service does not answer, then 502 naming it in the usual error shape", async () => {
    await upstream.app.close();
    const { cookie } = await signIn(running.url, "viewer", PASSWORDS.viewer);
    const response = await fetch(`${running.url}/api/risk_service/debtors/`, { headers: { cookie } });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      status_code: 502,
      code: "UPSTREAM_UNAVAILABLE",
      message: "risk-service did not answer",
    });
  });
});
