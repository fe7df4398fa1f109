// `pnpm build`: compiles the CLI, both services and the console's server (and the CLI's worker threads) to dist/ with
// esbuild, so that production and `pnpm cli` start plain JavaScript instead of transpiling
// TypeScript at every start (tsx stays a development tool).
//
// Workspace packages (@smartrecover/*) are bundled from their TypeScript sources; every other
// package stays an import of node_modules (native addons, Prisma and pino's transports expect
// their own files). Dynamic `import()`s become chunks of their own, so a module a command loads
// lazily is still loaded only by that command.
//
//   node tools/build.mjs             build
//   node tools/build.mjs --if-stale  build only when a source is newer than the last build
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = join(ROOT, "dist");
const STAMP = join(DIST, ".build-stamp");
const LOCK = join(ROOT, ".dist-build.lock");

/** Output name (dist/<name>.js) → source entry point. Keep in step with package.json's scripts. */
export const ENTRIES = {
  cli: "apps/cli/src/main.ts",
  "demo-sqs.worker": "apps/cli/src/demo-sqs.worker.ts",
  "demo-reconcile.worker": "apps/cli/src/demo-reconcile.worker.ts",
  "risk-service": "apps/risk-service/src/server.ts",
  "partner-sync": "apps/partner-sync/src/server.ts",
  console: "apps/console/src/server/server.ts",
};

/** What a build reads: sources of the bundled workspace packages, manifests and this script. */
const SOURCE_DIRS = [
  "apps/cli/src",
  "apps/risk-service/src",
  "apps/partner-sync/src",
  "apps/console/src/server",
  "packages",
];
const SOURCE_FILES = ["package.json", "pnpm-lock.yaml", "tsconfig.base.json", "tools/build.mjs"];

function newestSourceMtime() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "generated" || entry.name === "test") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (!entry.name.endsWith(".spec.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(join(ROOT, dir));
  for (const file of SOURCE_FILES) newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  return newest;
}

/** True when dist/ holds a build of the sources as they are now. */
export function isFresh() {
  if (!existsSync(STAMP)) return false;
  return Number(readFileSync(STAMP, "utf8")) >= newestSourceMtime();
}

function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The node_modules entry Node would find for `name` from `dir` (pnpm: a link into its store). */
function findPackage(name, dir) {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, "node_modules", name);
    if (existsSync(candidate)) return candidate;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * Keeps every bare import but our own workspace packages out of the bundle, and notes where each
 * one lives: pnpm gives every workspace package its own node_modules, so dist/ gets a
 * node_modules of links to the packages its code imports.
 */
function externalDependencies(links) {
  return {
    name: "external-dependencies",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("@smartrecover/")) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const name = packageName(args.path);
        const found = findPackage(name, args.resolveDir);
        if (!found)
          return { errors: [{ text: `cannot find package ${name} from ${relative(ROOT, args.resolveDir)}` }] };
        const known = links.get(name);
        if (known && realpathSync(known) !== realpathSync(found)) {
          return { errors: [{ text: `${name} resolves to two versions (${known}, ${found}); align them` }] };
        }
        links.set(name, found);
        // No package is imported for its side effects alone: an import the bundle no longer uses
        // (its importer's code was left out) is dropped instead of loading the package anyway.
        return { path: args.path, external: true, sideEffects: false };
      });
    },
  };
}

function linkDependencies(outdir, links) {
  for (const [name, target] of links) {
    const link = join(outdir, "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), target), link);
  }
}

export async function build() {
  const { build: esbuild } = await import("esbuild");
  const sourcesAsOf = newestSourceMtime();
  // Built beside dist/ and swapped in whole, so a process starting meanwhile never sees half a build.
  const staging = `${DIST}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const links = new Map();
  const common = {
    absWorkingDir: ROOT,
    outdir: staging,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [externalDependencies(links)],
  };
  const entries = (names) => names.map((out) => ({ in: ENTRIES[out], out }));
  // Separate builds: esbuild groups modules into chunks by which entry points reach them, so chunks
  // shared with the servers or the worker threads would carry their imports (Fastify, jose, …)
  // into the chunks a CLI command loads. Within the CLI's own build, what a command imports
  // lazily becomes a chunk of its own and stays out of the others' start-up.
  await esbuild({ ...common, entryPoints: entries(["cli"]), chunkNames: "chunk-[hash]", splitting: true });
  // The worker threads load partner-sync whole: one file each, like the servers.
  await esbuild({ ...common, entryPoints: entries(["demo-sqs.worker", "demo-reconcile.worker"]) });
  // A server loads all of its code at start anyway: one file each.
  await esbuild({ ...common, entryPoints: entries(["risk-service", "partner-sync", "console"]) });
  // pino loads its pretty-printer by name when a service logs to a terminal.
  links.set("pino-pretty", findPackage("pino-pretty", join(ROOT, "apps/risk-service")));
  linkDependencies(staging, links);
  writeFileSync(join(staging, ".build-stamp"), String(sourcesAsOf));
  const old = `${DIST}.${process.pid}.old`;
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(staging, DIST);
  rmSync(old, { recursive: true, force: true });
}

/** Builds unless dist/ is fresh; concurrent callers (parallel tests) wait for one build. */
export async function ensureBuilt() {
  if (isFresh()) return;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // A lock left by a killed build must not block every later start.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 120_000)
        rmSync(LOCK, { recursive: true, force: true });
      await sleep(50);
      if (isFresh()) return;
    }
  }
  try {
    if (!isFresh()) await build();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  if (process.argv.includes("--if-stale")) await ensureBuilt();
  else await build();
  if (!process.argv.includes("--quiet")) {
    process.stderr.write(
      `build: dist/ up to date (${Math.round(performance.now() - started)} ms, ${relative(ROOT, DIST)}/)\n`,
    );
  }
}
