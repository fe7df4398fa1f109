import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const envFileModule = resolve(import.meta.dirname, "env-file.ts");
// The child runs in a folder outside the repository, so tsx is named by its full path.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Runs loadDotEnv in a fresh process in `cwd` with exactly `env`, and returns what it then sees. */
function loadIn(cwd: string, env: Record<string, string>) {
  const script = `import { loadDotEnv } from ${JSON.stringify(envFileModule)};
    const file = loadDotEnv();
    process.stdout.write(JSON.stringify({ file: file ?? null, A: process.env.A ?? null, B: process.env.B ?? null, C: process.env.C ?? null }));`;
  const result = spawnSync(process.execPath, ["--import", tsx, "--input-type=module", "-e", script], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

async function folderWith(dotEnv?: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "sr-env-"));
  folders.push(folder);
  if (dotEnv !== undefined) await writeFile(join(folder, ".env"), dotEnv);
  return folder;
}

describe("loadDotEnv", () => {
  it("when .env exists, then its variables fill what the environment lacks, and the real environment wins", async () => {
    const folder = await folderWith('A=from-file\nB=from-file\n# comment\nC="quoted # not a comment"\n');
    expect(loadIn(folder, { A: "from-environment" })).toEqual({
      file: join(folder, ".env"),
      A: "from-environment",
      B: "from-file",
      C: "quoted # not a comment",
    });
  });

  it("when a variable is set to an empty string in the environment, then the file does not replace it", async () => {
    const folder = await folderWith("A=from-file\n");
    expect(loadIn(folder, { A: "" }).A).toBe("");
  });

  it("when there is no .env, then nothing is loaded and nothing fails", async () => {
    const folder = await folderWith();
    expect(loadIn(folder, { A: "kept" })).toEqual({ file: null, A: "kept", B: null, C: null });
  });
});
