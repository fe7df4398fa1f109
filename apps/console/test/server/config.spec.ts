import { ConfigError } from "@smartrecover/service-kit";
import { describe, expect, it } from "vitest";
import { ConsoleEnv, loadConsoleConfig } from "../../src/server/config";

describe("console configuration", () => {
  it("when nothing is set, then the defaults of NAMES.md apply", () => {
    const config = loadConsoleConfig({});
    expect(config).toMatchObject({
      HOST: "127.0.0.1",
      CONSOLE_PORT: 3002,
      RISK_SERVICE_URL: "http://127.0.0.1:3000",
      PARTNER_SYNC_URL: "http://127.0.0.1:3001",
      CONSOLE_DATABASE_URL: "file:.data/console.db",
      CONSOLE_SESSION_TTL: 8 * 3600,
      CONSOLE_TRUST_PROXY: false,
      CONSOLE_PUBLIC_URL: "http://127.0.0.1:3002",
    });
    expect(config.CONSOLE_STATIC_DIR.endsWith("apps/console/dist/web")).toBe(true);
  });

  it("when every variable is listed, then each has a description", () => {
    const shape = ConsoleEnv.shape;
    const undocumented = Object.entries(shape)
      .filter(([, schema]) => !schema.description)
      .map(([name]) => name);
    expect(undocumented).toEqual([]);
    expect(Object.keys(shape)).toEqual(
      expect.arrayContaining(["CONSOLE_PORT", "RISK_SERVICE_URL", "PARTNER_SYNC_URL"]),
    );
  });

  it("when a service URL is not http(s), then start-up fails naming the variable", () => {
    expect(() => loadConsoleConfig({ RISK_SERVICE_URL: "ftp://example" })).toThrowError(/RISK_SERVICE_URL/);
    expect(() => loadConsoleConfig({ PARTNER_SYNC_URL: "not a url" })).toThrowError(ConfigError);
  });

  it("when a service URL ends in a slash, then it is trimmed so paths join cleanly", () => {
    expect(loadConsoleConfig({ PARTNER_SYNC_URL: "http://sync.internal:8080/" }).PARTNER_SYNC_URL).toBe(
      "http://sync.internal:8080",
    );
  });

  it("when only part of the OIDC settings is given, then start-up fails", () => {
    expect(() => loadConsoleConfig({ OIDC_ISSUER: "https://id.example" })).toThrowError(/set together/);
    expect(
      loadConsoleConfig({ OIDC_ISSUER: "https://id.example", OIDC_CLIENT_ID: "console", OIDC_CLIENT_SECRET: "s" })
        .OIDC_ISSUER,
    ).toBe("https://id.example");
  });

  it("when a secret is short or a lifetime malformed, then start-up fails naming it", () => {
    expect(() => loadConsoleConfig({ AUTH_SIGNING_KEY: "short" })).toThrowError(/AUTH_SIGNING_KEY.*32 characters/);
    expect(() => loadConsoleConfig({ CONSOLE_SESSION_TTL: "8 hours" })).toThrowError(/CONSOLE_SESSION_TTL/);
    expect(() => loadConsoleConfig({ CONSOLE_SESSION_TTL: "31d" })).toThrowError(/CONSOLE_SESSION_TTL/);
    expect(loadConsoleConfig({ CONSOLE_SESSION_TTL: "30m" }).CONSOLE_SESSION_TTL).toBe(1800);
  });

  it("when the database URL is neither file: nor mysql://, then start-up fails; both of those are taken", () => {
    expect(() => loadConsoleConfig({ CONSOLE_DATABASE_URL: "postgres://root@127.0.0.1/console" })).toThrowError(
      /CONSOLE_DATABASE_URL/,
    );
    expect(loadConsoleConfig({ CONSOLE_DATABASE_URL: "mysql://root@127.0.0.1/console" }).CONSOLE_DATABASE_URL).toBe(
      "mysql://root@127.0.0.1/console",
    );
    expect(loadConsoleConfig({ DATA_DIR: "d" }).CONSOLE_DATABASE_URL).toBe("file:d/console.db");
  });
});
