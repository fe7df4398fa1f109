import { afterEach, describe, expect, it } from "vitest";
import { movableClock, PASSWORDS, type RunningConsole, signIn, startConsole } from "./console-test-kit";

let running: RunningConsole | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function cookieAttributes(setCookie: string | null): string[] {
  return (setCookie ?? "").split(";").map((part) => part.trim().toLowerCase());
}

describe("console sign-in over HTTP", () => {
  it("when the password is right, then a session cookie is set httpOnly and SameSite=Strict, not Secure over http", async () => {
    running = await startConsole({});
    const { response, csrf } = await signIn(running.url, "reviewer", PASSWORDS.reviewer);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({ subject: "reviewer", role: "reviewer", source: "local" });
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const attributes = cookieAttributes(response.headers.get("set-cookie"));
    expect(attributes[0]).toMatch(/^sr_session=[a-z0-9_-]{43}$/);
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "samesite=strict", "path=/"]));
    expect(attributes).not.toContain("secure");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("when a trusted proxy says the request was https, then the cookie is Secure", async () => {
    running = await startConsole({ CONSOLE_TRUST_PROXY: "true" });
    const response = await fetch(`${running.url}/console/session`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
      body: JSON.stringify({ username: "viewer", password: PASSWORDS.viewer }),
    });
    expect(response.status).toBe(200);
    expect(cookieAttributes(response.headers.get("set-cookie"))).toContain("secure");
  });

  it("when the proxy is not trusted, then X-Forwarded-Proto does not make the cookie Secure", async () => {
    running = await startConsole({});
    const response = await fetch(`${running.url}/console/session`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
      body: JSON.stringify({ username: "viewer", password: PASSWORDS.viewer }),
    });
    expect(cookieAttributes(response.headers.get("set-cookie"))).not.toContain("secure");
  });

  it("when the password is wrong or the user unknown, then 401 with one message and no cookie", async () => {
    running = await startConsole({});
    const wrong = await signIn(running.url, "reviewer", "not-the-password");
    const unknown = await signIn(running.url, "nobody", "not-the-password");
    const messages: string[] = [];
    for (const { response } of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.headers.get("set-cookie")).toBeNull();
      const body = (await response.json()) as { message: string };
      expect(body).toMatchObject({ status_code: 401, code: "SIGN_IN_REFUSED" });
      messages.push(body.message);
    }
    expect(messages[0]).toBe(messages[1]);
  });

  it("when five wrong passwords come within 15 minutes, then the right one is refused until 15 minutes have passed", async () => {
    const clock = movableClock();
    running = await startConsole({}, { clock: clock.now });
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await signIn(running.url, "operator", `wrong-${attempt}`)).response.status).toBe(401);
      clock.advance(60);
    }
    expect((await signIn(running.url, "operator", PASSWORDS.operator)).response.status).toBe(401);
    clock.advance(14 * 60 - 60);
    expect((await signIn(running.url, "operator", PASSWORDS.operator)).response.status).toBe(401);
    clock.advance(120);
    expect((await signIn(running.url, "operator", PASSWORDS.operator)).response.status).toBe(200);
    const [summary] = (await running.admin.list()).filter((user) => user.name === "operator");
    expect(summary?.lockedUntil).toBeNull();
  });

  it("when four wrong passwords are spread over more than 15 minutes, then the account is not locked", async () => {
    const clock = movableClock();
    running = await startConsole({}, { clock: clock.now });
    for (let attempt = 1; attempt <= 8; attempt++) {
      await signIn(running.url, "viewer", `wrong-${attempt}`);
      clock.advance(5 * 60);
    }
    expect((await signIn(running.url, "viewer", PASSWORDS.viewer)).response.status).toBe(200);
  });

  it("when one address tries too often within a minute, then it gets 429 with Retry-After whatever the password", async () => {
    running = await startConsole({}, { signInRateLimit: 3 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await signIn(running.url, "nobody", `guess-${attempt}`)).response.status).toBe(401);
    }
    const limited = await signIn(running.url, "viewer", PASSWORDS.viewer);
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.response.headers.get("set-cookie")).toBeNull();
  });

  it("when an account is disabled, then it cannot sign in and its open session ends", async () => {
    running = await startConsole({});
    const before = await signIn(running.url, "reviewer", PASSWORDS.reviewer);
    expect(await running.admin.disable("reviewer")).toBe(true);
    const session = await fetch(`${running.url}/console/session`, { headers: { cookie: before.cookie } });
    expect(session.status).toBe(401);
    expect((await signIn(running.url, "reviewer", PASSWORDS.reviewer)).response.status).toBe(401);
  });

  it("when the body is form-encoded or comes from another origin, then sign-in is refused", async () => {
    running = await startConsole({});
    const form = await fetch(`${running.url}/console/session`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `username=viewer&password=${PASSWORDS.viewer}`,
    });
    expect(form.status).toBe(415);
    const crossSite = await fetch(`${running.url}/console/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ username: "viewer", password: PASSWORDS.viewer }),
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("set-cookie")).toBeNull();
  });
});

describe("console session lifecycle", () => {
  it("when there is no cookie, then GET /console/session is 401; with one, it names the subject, role and expiry", async () => {
    const clock = movableClock();
    running = await startConsole({ CONSOLE_SESSION_TTL: "8h" }, { clock: clock.now });
    expect((await fetch(`${running.url}/console/session`)).status).toBe(401);
    const { cookie } = await signIn(running.url, "admin", PASSWORDS.admin);
    const response = await fetch(`${running.url}/console/session`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      subject: "admin",
      role: "admin",
      expires_at: "2026-12-02T17:00:00.000Z",
    });
  });

  it("when the session's lifetime has passed, then it is refused and the cookie cleared", async () => {
    const clock = movableClock();
    running = await startConsole({ CONSOLE_SESSION_TTL: "15m" }, { clock: clock.now });
    const { cookie } = await signIn(running.url, "viewer", PASSWORDS.viewer);
    clock.advance(15 * 60 - 1);
    expect((await fetch(`${running.url}/console/session`, { headers: { cookie } })).status).toBe(200);
    clock.advance(2);
    const expired = await fetch(`${running.url}/console/session`, { headers: { cookie } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({
      code: "SESSION_REQUIRED",
      message: "your session has ended: sign in again",
    });
    expect(expired.headers.get("set-cookie")).toMatch(/^sr_session=;/);
  });

  it("when signing out without the CSRF header, then 403 and the session lives on; with it, the session ends", async () => {
    running = await startConsole({});
    const { cookie, csrf } = await signIn(running.url, "viewer", PASSWORDS.viewer);
    const refused = await fetch(`${running.url}/console/session`, { method: "DELETE", headers: { cookie } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "CSRF_TOKEN_INVALID" });
    expect((await fetch(`${running.url}/console/session`, { headers: { cookie } })).status).toBe(200);
    const wrongToken = await fetch(`${running.url}/console/session`, {
      method: "DELETE",
      headers: { cookie, "x-csrf-token": "A".repeat(43) },
    });
    expect(wrongToken.status).toBe(403);
    const done = await fetch(`${running.url}/console/session`, {
      method: "DELETE",
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(done.status).toBe(204);
    expect((await fetch(`${running.url}/console/session`, { headers: { cookie } })).status).toBe(401);
  });

  it("when a cookie holds a made-up session id, then 401", async () => {
    running = await startConsole({});
    const response = await fetch(`${running.url}/console/session`, {
      headers: { cookie: `sr_session=${"A".repeat(43)}` },
    });
    expect(response.status).toBe(401);
  });
});
