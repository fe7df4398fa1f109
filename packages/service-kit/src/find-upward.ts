import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The first `path` found in the folder of the module at `moduleUrl` or above it. Code that reads
 * repository files (migrations, entry points) finds them this way both from its TypeScript source
 * (apps/<app>/src/…) and from the compiled bundle (dist/), which sit at different depths.
 */
export function findUpward(moduleUrl: string | URL, path: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, path);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${path} not found in ${start} or any folder above it`);
  }
}
