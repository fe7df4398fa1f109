import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { movableClock, type RunningConsole, startConsole } from "./console-test-kit";
import { type EchoedRequest, startEchoUpstream } from "./echo-upstream";
import { startLocalOidcProvider } from "./local-oidc-provider";

let provider: Awaited<ReturnType<typeof startLocalOidcProvider>>;
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let running: RunningConsole;
let clock: ReturnType<typeof movableClock>;

beforeEach(async () => {
  provider = await startLocalOidcProvider({
    clientId: "console",
    clientSecret: "console-client-secret",
    accessTokenSeconds: 60,
  });
  upstream = await startEchoUpstream();
  clock = movableClock(new Date());
  running = await startConsole(
    {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: "console",
      OIDC_CLIENT_SECRET: "console-client-secret",
      RISK_SERVICE_URL: upstream.url,
      PARTNER_SYNC_URL: upstream.url,
      CONSOLE_SESSION_SECRET: "a-session-secret-of-at-least-32-characters",
    },
    { clock: clock.now },
  );
});
afterEach(async () => {
  await running.close();
  await upstream.app.close();
  await provider.app.close();
});

const cookiePair = (setCookie: string | null, name: string) =>
  (setCookie ?? "")
    .split(/,(?=\s*\w+=)/)
    .map((part) => part.trim().split(";")[0] ?? "")
    .find((pair) => pair.startsWith(`${name}=`) && pair.length > name.length + 1);

/** Runs the browser's part of the redirect dance; answers the callback response. */
async function signInThroughProvider(transactionCookie?: (own: string) => string): Promise<Response> {
  const login = await fetch(`${running.url}/console/oidc/login`, { redirect: "manual" });
  const transaction = cookiePair(login.headers.get("set-cookie"), "sr_oidc") ?? "";
  const authorize = await fetch(login.headers.get("location") ?? "", { redirect: "manual" });
  const callback = new URL(authorize.headers.get("location") ?? "");
  return fetch(`${running.url}${callback.pathname}${callback.search}`, {
    redirect: "manual",
    headers: { cookie: transactionCookie ? transactionCookie(transaction) : transaction },
  });
}

describe("OIDC sign-in (authorization code + PKCE)", () => {
  it("when sign-in starts, then the browser goes to the provider with an S256 challenge, state and nonce, and a Lax transaction cookie", async () => {
    expect(await (await fetch(`${running.url}/console/sign-in-options`)).json()).toEqual({ local: true, oidc: true });
    const login = await fetch(`${running.url}/console/oidc/login`, { redirect: "manual" });
    expect(login.status).toBe(302);
    const target = new URL(login.headers.get("location") ?? "");
    expect(`${target.origin}${target.pathname}`).toBe(`${provider.issuer}/authorize`);
    expect(target.searchParams.get("code_challenge_method")).toBe("S256");
    expect(target.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(target.searchParams.get("state")).toBeTruthy();
    expect(target.searchParams.get("nonce")).toBeTruthy();
    expect(target.searchParams.get("redirect_uri")).toBe(`${running.config.CONSOLE_PUBLIC_URL}/console/oidc/callback`);
    const cookie = (login.headers.get("set-cookie") ?? "").toLowerCase();
    expect(cookie).toMatch(/^sr_oidc=/);
    expect(cookie).toContain("samesite=lax");
    expect(cookie).toContain("httponly");
  });

  it("when the provider signs the user in, then a console session carries its subject and strongest role, and the proxy forwards its access token", async () => {
    provider.signInAs({ sub: "ana.lyst", roles: ["viewer", "operator", "unrelated-group"] });
    const callback = await signInThroughProvider();
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/");
    const session = cookiePair(callback.headers.get("set-cookie"), "sr_session");
    expect(session).toBeDefined();
    const info = await fetch(`${running.url}/console/session`, { headers: { cookie: session ?? "" } });
    expect(await info.json()).toMatchObject({ subject: "ana.lyst", role: "operator", source: "oidc" });

    const proxied = (await (
      await fetch(`${running.url}/api/risk_service/debtors/`, { headers: { cookie: session ?? "" } })
    ).json()) as EchoedRequest;
    const issuedGrant = provider.tokenRequests.find((form) => form.get("grant_type") === "authorization_code");
    expect(issuedGrant?.get("code_verifier")).toMatch(/^[\w-]{43,128}$/);
    const forwarded = String(proxied.headers.authorization).replace(/^Bearer /, "");
    const [, payload] = forwarded.split(".");
    expect(JSON.parse(Buffer.from(payload ?? "", "base64url").toString())).toMatchObject({
      iss: provider.issuer,
      aud: "smartrecover-api",
      sub: "ana.lyst",
    });
  });

  it("when the provider's access token runs out, then the console refreshes it before forwarding", async () => {
    provider.signInAs({ sub: "ana.lyst", roles: "reviewer" });
    const session = cookiePair((await signInThroughProvider()).headers.get("set-cookie"), "sr_session") ?? "";
    const first = (await (
      await fetch(`${running.url}/api/partner_sync/summary/`, { headers: { cookie: session } })
    ).json()) as EchoedRequest;
    clock.advance(90);
    const second = (await (
      await fetch(`${running.url}/api/partner_sync/summary/`, { headers: { cookie: session } })
    ).json()) as EchoedRequest;
    expect(provider.tokenRequests.map((form) => form.get("grant_type"))).toEqual([
      "authorization_code",
      "refresh_token",
    ]);
    expect(second.headers.authorization).not.toBe(first.headers.authorization);
    expect(String(second.headers.authorization)).toMatch(/^Bearer eyJ/);
  });

  it("when the provider gives no known role, then no session starts and sign-in says why", async () => {
    provider.signInAs({ sub: "ana.lyst", roles: ["employees"] });
    const callback = await signInThroughProvider();
    expect(callback.headers.get("location")).toBe("/sign-in?error=OIDC_NO_ROLE");
    expect(cookiePair(callback.headers.get("set-cookie"), "sr_session")).toBeUndefined();
  });

  it("when the callback arrives without the transaction cookie, then it is refused as from another browser", async () => {
    const callback = await signInThroughProvider(() => "");
    expect(callback.headers.get("location")).toBe("/sign-in?error=OIDC_EXPIRED");
    expect(cookiePair(callback.headers.get("set-cookie"), "sr_session")).toBeUndefined();
  });

  it("when the code belongs to another sign-in (its state and verifier differ), then the exchange is refused", async () => {
    const other = await fetch(`${running.url}/console/oidc/login`, { redirect: "manual" });
    const otherTransaction = cookiePair(other.headers.get("set-cookie"), "sr_oidc") ?? "";
    const callback = await signInThroughProvider(() => otherTransaction);
    expect(callback.headers.get("location")).toBe("/sign-in?error=OIDC_FAILED");
    expect(cookiePair(callback.headers.get("set-cookie"), "sr_session")).toBeUndefined();
  });

  it("when the provider cannot be reached, then sign-in returns to the form with an error instead of failing", async () => {
    await provider.app.close();
    const login = await fetch(`${running.url}/console/oidc/login`, { redirect: "manual" });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/sign-in?error=OIDC_FAILED");
  });

  it("when the subject is not a valid SmartRecover subject, then no session starts", async () => {
    provider.signInAs({ sub: "auth0|12345", roles: ["admin"] });
    const callback = await signInThroughProvider();
    expect(callback.headers.get("location")).toBe("/sign-in?error=OIDC_BAD_SUBJECT");
  });
});
