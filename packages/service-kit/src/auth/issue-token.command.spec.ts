import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { registerAuthCommand } from "./issue-token.command";
import { createTokenVerifier } from "./token-verifier";

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "sr-cli-"));
  folders.push(folder);
  return folder;
}

async function issue(args: string[], env: Record<string, string>): Promise<string> {
  let output = "";
  const program = new Command("smartrecover").exitOverride();
  registerAuthCommand(program, { env, write: (text) => (output += text) });
  await program.parseAsync(["auth", "issue-token", ...args], { from: "user" });
  return output;
}

const verifierFor = (env: Record<string, string>) =>
  createTokenVerifier({
    AUTH_MODE: "local",
    AUTH_AUDIENCE: "smartrecover-api",
    AUTH_ROLES_CLAIM: "roles",
    DATA_DIR: env.DATA_DIR ?? "",
    AUTH_SIGNING_KEY: env.AUTH_SIGNING_KEY,
  });

describe("auth issue-token", () => {
  it("when called with a subject and role, then stdout is the token alone, valid for 8 h by default, with every §9 claim", async () => {
    const env = { DATA_DIR: await dataDir() };
    const before = Math.floor(Date.now() / 1000);
    const output = await issue(["--subject", "alice", "--role", "operator"], env);
    expect(output).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = output.trim();
    const claims = decodeJwt(token);
    expect(decodeProtectedHeader(token).alg).toBe("HS256");
    expect(Object.keys(claims).sort()).toEqual(["aud", "exp", "iat", "iss", "jti", "role", "sub"]);
    expect(claims).toMatchObject({ sub: "alice", role: "operator", iss: "smartrecover", aud: "smartrecover-api" });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(8 * 3600);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    await expect((await verifierFor(env)).verify(token)).resolves.toMatchObject({ subject: "alice", role: "operator" });
  });

  it("when --json and --ttl are given, then one JSON line with token, subject, role and expires_at", async () => {
    const env = { DATA_DIR: await dataDir(), AUTH_SIGNING_KEY: "s".repeat(40) };
    const output = await issue(["--subject", "bob@example.com", "--role", "viewer", "--ttl", "15m", "--json"], env);
    expect(output.endsWith("\n")).toBe(true);
    expect(output.trim().split("\n")).toHaveLength(1);
    const parsed = JSON.parse(output);
    expect(Object.keys(parsed)).toEqual(["token", "subject", "role", "expires_at"]);
    expect(parsed).toMatchObject({ subject: "bob@example.com", role: "viewer" });
    const exp = decodeJwt(parsed.token).exp ?? 0;
    expect(parsed.expires_at).toBe(new Date(exp * 1000).toISOString());
    expect(exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(15 * 60 - 5);
    expect(exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(15 * 60);
    await expect((await verifierFor(env)).verify(parsed.token)).resolves.toMatchObject({ role: "viewer" });
  });
});

// The real CLI (apps/cli/src/main.ts), which registers the command: its exit codes are the product's.
const CLI_MAIN = resolve(import.meta.dirname, "../../../../apps/cli/src/main.ts");

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", CLI_MAIN, ...args], {
    cwd: resolve(import.meta.dirname, "../.."),
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
}

describe("auth issue-token as a process", () => {
  it.each([
    [
      "an unknown role",
      ["--subject", "alice", "--role", "root"],
      /--role must be one of viewer, reviewer, operator, admin, got "root"/,
    ],
    ["a reserved subject", ["--subject", "partner-sync", "--role", "admin"], /--subject is reserved/],
    ["a malformed subject", ["--subject", "two words", "--role", "viewer"], /--subject must be 1–64 characters/],
    ["a lifetime over 30 days", ["--subject", "a", "--role", "viewer", "--ttl", "31d"], /--ttl must be at most 30d/],
    [
      "a malformed lifetime",
      ["--subject", "a", "--role", "viewer", "--ttl", "8 hours"],
      /--ttl must be a whole number/,
    ],
    ["no subject", ["--role", "viewer"], /required option '--subject <name>' not specified/],
  ])("when given %s, then exit 2 with one line on stderr and nothing on stdout", async (_case, args, message) => {
    const result = cli(["auth", "issue-token", ...args], { DATA_DIR: await dataDir() });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it("when the configured signing key is too short, then exit 1 naming the variable, never the key", async () => {
    const result = cli(["auth", "issue-token", "--subject", "a", "--role", "viewer"], {
      DATA_DIR: await dataDir(),
      AUTH_SIGNING_KEY: "tiny-secret-123",
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("AUTH_SIGNING_KEY: must be at least 32 bytes");
    expect(result.stderr).not.toContain("tiny-secret-123");
  });

  it("when AUTH_MODE=oidc, then exit 1 explaining that tokens come from the identity provider", async () => {
    const result = cli(["auth", "issue-token", "--subject", "a", "--role", "viewer"], {
      DATA_DIR: await dataDir(),
      AUTH_MODE: "oidc",
      AUTH_ISSUER: "https://idp.example.com",
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      "error: AUTH_MODE=oidc: tokens come from the identity provider, not from issue-token",
    );
  });

  it("when it succeeds, then stdout holds the token alone and the exit code is 0", async () => {
    const result = cli(["auth", "issue-token", "--subject", "ci-bot", "--role", "reviewer", "--ttl", "30s"], {
      DATA_DIR: await dataDir(),
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });
});
