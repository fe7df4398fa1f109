import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import type { Role } from "@smartrecover/service-kit";
import { createTestTokens } from "@smartrecover/service-kit/testing";
import { NO_AWS, REPO_ROOT } from "../../support/run-command";

export const CLI = "apps/cli/src/main.ts";
export const RISK_SERVER = "apps/risk-service/src/server.ts";
export const PARTNER_SYNC_SERVER = "apps/partner-sync/src/server.ts";

/** One signing key for every process a fault spec starts, so its tokens are accepted by all of them. */
const faultTokens = createTestTokens();

/** Headers of an API call made as `role` to a service started by ProcessGroup. */
export async function apiHeaders(role: Role = "operator"): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    authorization: `Bearer ${await faultTokens.token(role, { subject: "fault-test" })}`,
  };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A service or CLI process this test started: the real entry point, as `pnpm …` runs it. */
export interface ManagedProcess {
  readonly label: string;
  readonly pid: number;
  readonly exited: Promise<Exit>;
  readonly running: boolean;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stdout(): string;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts and tracks the processes of one spec, so afterAll can stop whatever is still running
 * (SIGKILL, only processes started here). Each process is killed anyway after `timeoutMs`.
 * Node runs the entry point directly (`node --import tsx …`, what the pnpm scripts run), so a
 * signal reaches the service itself rather than a pnpm wrapper.
 */
export class ProcessGroup {
  private readonly children = new Set<ChildProcess>();

  start(
    label: string,
    script: string,
    args: string[],
    env: Record<string, string>,
    timeoutMs = 120_000,
  ): ManagedProcess {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...NO_AWS, LOG_LEVEL: "warn", AUTH_SIGNING_KEY: faultTokens.signingKey, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.children.add(child);
    let all = "";
    let stdout = "";
    child.stdout?.on("data", (chunk) => {
      all += chunk;
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      all += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const exited = new Promise<Exit>((resolve) => {
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        this.children.delete(child);
        resolve({ code, signal });
      });
      child.once("error", () => {
        clearTimeout(timer);
        this.children.delete(child);
        resolve({ code: null, signal: null });
      });
    });
    if (child.pid === undefined) throw new Error(`${label} did not start`);
    return {
      label,
      pid: child.pid,
      exited,
      get running() {
        return child.exitCode === null && child.signalCode === null;
      },
      output: () => all,
      stdout: () => stdout,
      kill: (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    };
  }

  /** `pnpm cli <args>` run to its end; resolves with its exit and output. */
  async run(label: string, args: string[], env: Record<string, string>, timeoutMs = 120_000) {
    const process = this.start(label, CLI, args, env, timeoutMs);
    const exit = await process.exited;
    return { ...exit, stdout: process.stdout(), output: process.output() };
  }

  /** Kills (SIGKILL) every process of this group still running and waits for them, bounded. */
  async stopAll(): Promise<void> {
    const waits = [...this.children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    );
    await Promise.race([Promise.all(waits), sleep(10_000)]);
  }
}

/** Polls `probe` until `done` holds for its value; fails after `timeoutMs`, naming `what`. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 60_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Resolves with the process's exit, or fails if it has not exited within `timeoutMs`. */
export function exitWithin(process: ManagedProcess, timeoutMs: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`${process.label} did not exit within ${timeoutMs} ms; output:\n${process.output().slice(-2000)}`),
        ),
      timeoutMs,
    );
    void process.exited.then((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
}

/**
 * The summary a `--json` command printed: the last stdout line that is JSON and not a log
 * line. At LOG_LEVEL=info, pino's lines share stdout and may even come after the summary.
 */
export function lastJsonLine<T>(stdout: string): T {
  const objects = stdout
    .trim()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((object) => !("level" in object && "msg" in object));
  const summary = objects.at(-1);
  if (!summary) throw new Error(`no JSON summary in:\n${stdout.slice(-2000)}`);
  return summary as T;
}
