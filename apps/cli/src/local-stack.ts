import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { findUpward } from "@smartrecover/service-kit";

// Found, not computed from this file's place: the CLI also runs bundled from dist/.
const REPO_ROOT = dirname(findUpward(import.meta.url, "pnpm-workspace.yaml"));
const CONSOLE_DIR = join(REPO_ROOT, "apps/console");
// The same entry points as `pnpm start:*`, started with node directly: a package manager and a
// shell in between would not pass SIGTERM on, leaving orphans behind.
const SERVICES = ["apps/risk-service/src/server.ts", "apps/partner-sync/src/server.ts"] as const;
const CONSOLE_SERVER = "apps/console/src/server/server.ts";

export interface StackPorts {
  risk: number;
  sync: number;
  console: number;
}

/** Builds the console's SPA once when it has never been built (vite, from the console's own dependencies). */
function ensureConsoleBuilt(say: (line: string) => void): void {
  if (existsSync(join(CONSOLE_DIR, "dist/web/index.html"))) return;
  say("building the console's web app once (apps/console/dist/web)");
  // The console's own vite (pnpm links it into apps/console/node_modules); its bin is not an export.
  const vite = join(CONSOLE_DIR, "node_modules/vite/bin/vite.js");
  const built = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
    cwd: CONSOLE_DIR,
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("building the console failed: run `pnpm build:console` to see why");
}

/**
 * Both services and the console as separate processes on `env` (configured exactly as in
 * production), until SIGINT/SIGTERM or until one of them exits. Prints the console's URL and,
 * the first time, a demo account. Resolves with the exit code the command should end with.
 */
export async function serveStack(label: string, env: NodeJS.ProcessEnv, ports: StackPorts): Promise<number> {
  const say = (line: string) => process.stderr.write(`${label}: ${line}\n`);
  ensureConsoleBuilt(say);
  const risk = `http://127.0.0.1:${ports.risk}`;
  const sync = `http://127.0.0.1:${ports.sync}`;
  const consoleUrl = `http://127.0.0.1:${ports.console}`;
  const stackEnv: NodeJS.ProcessEnv = {
    ...env,
    RISK_API_PORT: String(ports.risk),
    PARTNER_SYNC_API_PORT: String(ports.sync),
    CONSOLE_PORT: String(ports.console),
    RISK_SERVICE_URL: risk,
    PARTNER_SYNC_URL: sync,
  };
  const consoleDatabase = env.CONSOLE_DATABASE_URL || `file:${join(resolve(env.DATA_DIR ?? ".data"), "console.db")}`;
  const { ensureDemoAccount } = await import("@smartrecover/console/cli");
  const demo = await ensureDemoAccount(consoleDatabase);
  say(`risk-service ${risk}/docs, partner-sync ${sync}/docs`);
  say(`console ${consoleUrl}`);
  if (demo) say(`console account: ${demo.name} / ${demo.password} (${demo.role}; shown once, only its hash is kept)`);
  else say("console account: demo (its password was shown when it was created; `pnpm cli users add` makes another)");

  const children = [...SERVICES, CONSOLE_SERVER].map((script) => startChild(label, script, stackEnv));
  const exited = children.map((child) => new Promise<void>((done) => child.once("exit", () => done())));
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      say("stopping the console and both services");
      for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.all(exited);
    })();
    return stopping;
  };
  const onSignal = () => void stop();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // A process that dies on its own takes the stack down with it: a half-running stack misleads.
  await Promise.race(exited);
  await stop();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  const failed = children.filter((child) => child.exitCode !== 0);
  for (const child of failed) say(`${child.spawnargs.at(-1)} exited with ${child.exitCode ?? child.signalCode}`);
  return failed.length > 0 ? 1 : 0;
}

function startChild(label: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("error", (error) => process.stderr.write(`${label}: could not start ${entry}: ${error.message}\n`));
  return child;
}
