// `pnpm cli …`, `pnpm start:*`: runs a compiled entry point of dist/ in this process, building it
// first when a source changed since the last build (see build.mjs). Plain JavaScript on purpose:
// this file must start without a TypeScript loader.
//
//   node tools/run-built.mjs <cli | risk-service | partner-sync | console> [arguments…]
import { existsSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// V8 keeps the bytecode of dist/ and of the packages it loads between runs (in the OS temp
// folder, or NODE_COMPILE_CACHE); a stale entry is detected by Node and recompiled.
enableCompileCache();
const { DIST, ENTRIES, ensureBuilt } = await import("./build.mjs");

const [, , entry] = process.argv;
if (!entry || !(entry in ENTRIES) || entry.endsWith(".worker")) {
  process.stderr.write(`usage: node tools/run-built.mjs <cli | risk-service | partner-sync | console> [arguments…]\n`);
  process.exit(2);
}
const compiled = join(DIST, `${entry}.js`);
try {
  await ensureBuilt();
} catch (error) {
  // A production image has no esbuild (a development dependency) and is built once, by its Dockerfile.
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !existsSync(compiled)) throw error;
  process.stderr.write(
    "run-built: sources look newer than dist/ and esbuild is not installed; running dist/ as built\n",
  );
}
// The entry point reads its arguments from process.argv as if started directly: `node dist/<entry>.js …`.
process.argv.splice(1, 2, compiled);
await import(pathToFileURL(compiled).href);
