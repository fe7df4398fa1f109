// The compiled CLI starts light: `--help` and a command on SQLite load none of the heavy packages
// that only other commands need (issue #10). A resolve hook in the child records every package it
// imports; the build is the project's own (tools/build.mjs), run first when a source changed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_AWS, REPO_ROOT } from "./support/run-command";

const HEAVY = [
  "@aws-sdk/client-sqs",
  "fauxqs",
  "@faker-js/faker",
  "fastify",
  "mariadb",
  // jose is not listed: service-kit's barrel reaches the token modules, so esbuild's chunking puts
  // them (and jose) where the CLI loads them at start (docs/architecture.md, a known gap).
  "csv-parse",
  "@prisma/client",
  "@prisma/adapter-mariadb",
  "@prisma/adapter-better-sqlite3",
];

describe("compiled CLI start-up", () => {
  const dir = mkdtempSync(join(tmpdir(), "compiled-startup-"));
  const hook = join(dir, "record-packages.mjs");

  beforeAll(() => {
    const build = spawnSync(process.execPath, ["tools/build.mjs", "--if-stale", "--quiet"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(build.status, build.stderr).toBe(0);
    writeFileSync(
      hook,
      `import { registerHooks } from "node:module";
const packages = new Set();
registerHooks({
  resolve(specifier, context, next) {
    if (!/^(\\.|\\/|node:|file:)/.test(specifier)) packages.add(specifier);
    return next(specifier, context);
  },
});
process.on("exit", () => process.stderr.write("PACKAGES=" + JSON.stringify([...packages]) + "\\n"));
`,
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const packagesLoadedBy = (args: string[], env: Record<string, string> = {}) => {
    const child = spawnSync(process.execPath, ["--import", pathToFileURL(hook).href, "dist/cli.js", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...NO_AWS, ...env },
      encoding: "utf8",
    });
    expect(child.status, child.stderr).toBe(0);
    const line = /PACKAGES=(.*)/.exec(child.stderr);
    expect(line, child.stderr).not.toBeNull();
    return JSON.parse(line?.[1] ?? "[]") as string[];
  };

  it("when the CLI prints its help, then it loads commander but none of the heavy packages", () => {
    const loaded = packagesLoadedBy(["--help"]);
    expect(loaded).toContain("commander");
    expect(HEAVY.filter((name) => loaded.includes(name))).toEqual([]);
  });

  it("when process-debtors runs on SQLite without a queue, then it loads the SQLite driver only", () => {
    const loaded = packagesLoadedBy(["process-debtors", "--json"], {
      DATA_DIR: dir,
      RISK_DATABASE_URL: `file:${join(dir, "risk-service.db")}`,
    });
    expect(loaded).toContain("better-sqlite3");
    expect(HEAVY.filter((name) => loaded.includes(name))).toEqual([]);
  });
});
