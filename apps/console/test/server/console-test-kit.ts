import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@smartrecover/service-kit";
import type { FastifyInstance } from "fastify";
import { buildConsoleApp, type ConsoleDeps } from "../../src/server/app";
import { openConsoleDatabase } from "../../src/server/auth/console.database";
import { DbSessionStore } from "../../src/server/auth/db-session.store";
import { DbUserStore } from "../../src/server/auth/db-user.store";
import type { Role } from "../../src/server/auth/roles";
import { UserAdmin } from "../../src/server/auth/user-admin";
import { type ConsoleConfig, loadConsoleConfig } from "../../src/server/config";

/** Cheap scrypt for tests: the cost travels with the hash, so verification takes the same path. */
export const TEST_SCRYPT_COST = { N: 2 ** 10, r: 8, p: 1 };
export const TEST_SIGNING_KEY = "test-signing-key-for-the-console-0123456789";
export const PASSWORDS: Record<Role, string> = {
  viewer: "viewer-password-1",
  reviewer: "reviewer-password-1",
  operator: "operator-password-1",
  admin: "admin-password-12",
};

/** A clock tests move by hand. */
export function movableClock(start = new Date("2026-12-02T09:00:00Z")) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

export interface RunningConsole {
  app: FastifyInstance;
  url: string;
  config: ConsoleConfig;
  admin: UserAdmin;
  close(): Promise<void>;
}

/**
 * A real console server on 127.0.0.1:0 over a fresh SQLite file, with one account per role
 * (named after the role, passwords in PASSWORDS).
 */
export async function startConsole(env: Record<string, string>, deps: ConsoleDeps = {}): Promise<RunningConsole> {
  const dir = mkdtempSync(join(tmpdir(), "console-test-"));
  const config = loadConsoleConfig({
    DATA_DIR: dir,
    AUTH_SIGNING_KEY: TEST_SIGNING_KEY,
    LOG_LEVEL: "silent",
    ...env,
  });
  const db = await openConsoleDatabase(config.CONSOLE_DATABASE_URL);
  const users = new DbUserStore(db);
  const sessions = new DbSessionStore(db);
  const admin = new UserAdmin(users, sessions, TEST_SCRYPT_COST);
  for (const role of Object.keys(PASSWORDS) as Role[]) await admin.add(role, role, PASSWORDS[role]);
  const app = await buildConsoleApp(config, {
    logger: createLogger({ level: "silent", name: "console-test" }),
    users,
    sessions,
    scryptCost: TEST_SCRYPT_COST,
    readinessCheck: () => db.query("SELECT 1"),
    ...deps,
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    app,
    url,
    config,
    admin,
    async close() {
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in over HTTP; answers the session cookie pair (name=value) and the CSRF token. */
export async function signIn(
  baseUrl: string,
  username: string,
  password: string,
): Promise<{ cookie: string; csrf: string; response: Response }> {
  const response = await fetch(`${baseUrl}/console/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const setCookie = response.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  const body = response.ok ? ((await response.clone().json()) as { csrf_token: string }) : { csrf_token: "" };
  return { cookie, csrf: body.csrf_token, response };
}
