import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { createLogger } from "@smartrecover/service-kit";
import type { FastifyInstance } from "fastify";
import { buildConsoleApp } from "../../src/server/app";
import { openConsoleDatabase } from "../../src/server/auth/console.database";
import { DbSessionStore } from "../../src/server/auth/db-session.store";
import { DbUserStore } from "../../src/server/auth/db-user.store";
import { UserAdmin } from "../../src/server/auth/user-admin";
import { loadConsoleConfig } from "../../src/server/config";
import { movableClock, PASSWORDS, TEST_SCRYPT_COST } from "../server/console-test-kit";
import { type StandInState, startStandInServices } from "./stand-in-services";

const SIGNING_KEY = "e2e-signing-key-shared-with-the-services-0123";
const ISSUER = "smartrecover";
const AUDIENCE = "smartrecover-api";

export interface ConsoleStack {
  consoleUrl: string;
  /** The freshly built SPA. */
  staticDir: string;
  /** The stand-in's state; null when the stack points at real services. */
  standIn: StandInState | null;
  clock: ReturnType<typeof movableClock>;
  close(): Promise<void>;
}

/**
 * Builds the SPA with the project's Vite config into a fresh folder, in a child process: the
 * test runner's NODE_ENV=test would otherwise put React's development build in the bundle.
 */
export async function buildSpa(outDir: string): Promise<void> {
  const vite = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
  const config = resolve(import.meta.dirname, "../../vite.config.ts");
  await promisify(execFile)(
    process.execPath,
    [vite, "build", "--config", config, "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
    { env: { ...process.env, NODE_ENV: "production" } },
  );
}

/**
 * The console server over a fresh SQLite database with one account per role (named after the
 * role), in front of the stand-in services — or of real ones when CONSOLE_E2E_RISK_SERVICE_URL
 * and CONSOLE_E2E_PARTNER_SYNC_URL are set (with AUTH_SIGNING_KEY, AUTH_ISSUER, AUTH_AUDIENCE
 * as those services use).
 */
export interface RealServices {
  riskUrl: string;
  syncUrl: string;
  /** The services' DATA_DIR: the console signs API tokens with the key file the services created there. */
  dataDir: string;
}

export async function startConsoleStack(real?: RealServices): Promise<ConsoleStack> {
  const dir = mkdtempSync(join(tmpdir(), "console-e2e-"));
  const staticDir = join(dir, "web");
  mkdirSync(staticDir);
  await buildSpa(staticDir);

  const realRisk = real?.riskUrl ?? process.env.CONSOLE_E2E_RISK_SERVICE_URL;
  const realSync = real?.syncUrl ?? process.env.CONSOLE_E2E_PARTNER_SYNC_URL;
  const key = real ? "" : (process.env.AUTH_SIGNING_KEY ?? SIGNING_KEY);
  const issuer = process.env.AUTH_ISSUER ?? ISSUER;
  const audience = process.env.AUTH_AUDIENCE ?? AUDIENCE;
  const standIn =
    realRisk && realSync ? null : await startStandInServices({ key: new TextEncoder().encode(key), issuer, audience });
  const consoleDatabaseUrl = `file:${join(dir, "console.db")}`;

  const clock = movableClock(new Date());
  const config = loadConsoleConfig({
    DATA_DIR: real?.dataDir ?? dir,
    CONSOLE_DATABASE_URL: consoleDatabaseUrl,
    CONSOLE_STATIC_DIR: staticDir,
    RISK_SERVICE_URL: realRisk ?? standIn?.url ?? "",
    PARTNER_SYNC_URL: realSync ?? standIn?.url ?? "",
    AUTH_SIGNING_KEY: key,
    AUTH_ISSUER: issuer,
    AUTH_AUDIENCE: audience,
    CONSOLE_SESSION_TTL: "8h",
    LOG_LEVEL: "silent",
  });
  const db = await openConsoleDatabase(config.CONSOLE_DATABASE_URL);
  const users = new DbUserStore(db);
  const sessions = new DbSessionStore(db);
  const admin = new UserAdmin(users, sessions, TEST_SCRYPT_COST);
  for (const role of ["viewer", "reviewer", "operator", "admin"] as const) await admin.add(role, role, PASSWORDS[role]);
  const app: FastifyInstance = await buildConsoleApp(config, {
    logger: createLogger({ level: "silent", name: "console-e2e" }),
    users,
    sessions,
    clock: clock.now,
    scryptCost: TEST_SCRYPT_COST,
  });
  const consoleUrl = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    consoleUrl,
    staticDir,
    standIn: standIn?.state ?? null,
    clock,
    async close() {
      await app.close();
      await db.close();
      await standIn?.app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
