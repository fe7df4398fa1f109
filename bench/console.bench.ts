// The console's initial JavaScript (issue #14: ≤ 250 KB gzipped): the production build, then
// every script index.html loads at once (its module script and the modulepreload links), gzipped
// at level 9 as a static server would send it. Lazily loaded screens do not count.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { type BenchSection, type BenchSettings, log, markdownTable, repoRoot } from "./bench-kit";

const LIMIT_KB = 250;

export interface InitialJavaScript {
  files: Array<{ path: string; bytes: number; gzipped: number }>;
  gzipped: number;
  /** Every .js file the build wrote, initial or lazy. */
  allGzipped: number;
}

export function initialJavaScript(staticDir: string): InitialJavaScript {
  const html = readFileSync(join(staticDir, "index.html"), "utf8");
  const paths = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g),
  ].map((match) => match[1] ?? "");
  const gz = (path: string) => gzipSync(readFileSync(join(staticDir, path)), { level: 9 }).length;
  const files = paths.map((path) => ({ path, bytes: readFileSync(join(staticDir, path)).length, gzipped: gz(path) }));
  const assets = readdirSync(join(staticDir, "assets")).filter((name) => name.endsWith(".js"));
  return {
    files,
    gzipped: files.reduce((sum, file) => sum + file.gzipped, 0),
    allGzipped: assets.reduce((sum, name) => sum + gz(join("assets", name)), 0),
  };
}

export async function consoleBench(_settings: BenchSettings): Promise<BenchSection> {
  const outDir = mkdtempSync(join(tmpdir(), "bench-console-"));
  try {
    log("building the console (vite, production)");
    const consoleDir = join(repoRoot, "apps/console");
    await promisify(execFile)(
      process.execPath,
      [
        join(consoleDir, "node_modules/vite/bin/vite.js"),
        "build",
        "--outDir",
        outDir,
        "--emptyOutDir",
        "--logLevel",
        "warn",
      ],
      { cwd: consoleDir, env: { ...process.env, NODE_ENV: "production" } },
    );
    const measured = initialJavaScript(outDir);
    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    return {
      title: "Console: initial JavaScript",
      body: [
        "The production build of `apps/console`; what `index.html` loads before the first screen shows",
        "(module script and modulepreload links), gzipped (level 9). The size is deterministic: one build.",
        "",
        markdownTable(
          ["file", "bytes", "gzipped KB"],
          measured.files.map((file) => [`\`${file.path}\``, file.bytes, kb(file.gzipped)]),
        ),
        "",
        `Initial: **${kb(measured.gzipped)} KB** gzipped; all JavaScript of the build, lazy screens included: ${kb(measured.allGzipped)} KB.`,
      ].join("\n"),
      goals: [
        {
          goal: `console initial JavaScript ≤ ${LIMIT_KB} KB gzipped`,
          measured: `${kb(measured.gzipped)} KB`,
          met: measured.gzipped <= LIMIT_KB * 1024,
        },
      ],
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
