import { spawn } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../config";
import { issueLocalToken } from "./local-token";
import { loadOrCreateSigningKey, signingKeyPath } from "./signing-key-file";
import { createTokenVerifier, localTokenSettings } from "./token-verifier";

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "sr-key-"));
  folders.push(folder);
  return folder;
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("the local signing key file", () => {
  it("when no key exists, then one is created in $DATA_DIR/auth/signing.key, mode 0600 in a 0700 folder", async () => {
    const dir = await dataDir();
    const key = await loadOrCreateSigningKey(dir);
    const file = join(dir, "auth", "signing.key");
    expect(signingKeyPath(dir)).toBe(file);
    expect(await mode(file)).toBe(0o600);
    expect(await mode(join(dir, "auth"))).toBe(0o700);
    expect(Buffer.byteLength(key)).toBeGreaterThanOrEqual(32);
    expect((await readFile(file, "utf8")).trim()).toBe(key);
    expect(await readdir(join(dir, "auth"))).toEqual(["signing.key"]);
  });

  it("when the key exists, then it is reused unchanged", async () => {
    const dir = await dataDir();
    const first = await loadOrCreateSigningKey(dir);
    const before = await stat(signingKeyPath(dir));
    const second = await loadOrCreateSigningKey(dir);
    expect(second).toBe(first);
    expect((await stat(signingKeyPath(dir))).mtimeMs).toBe(before.mtimeMs);
  });

  it("when twenty callers race for the first key, then all get one key and no draft is left behind", async () => {
    const dir = await dataDir();
    const keys = await Promise.all(Array.from({ length: 20 }, () => loadOrCreateSigningKey(dir)));
    expect(new Set(keys).size).toBe(1);
    expect(await readdir(join(dir, "auth"))).toEqual(["signing.key"]);
  });

  it("when six processes start at once on a fresh folder, then they all end up with the same key", async () => {
    const dir = await dataDir();
    const module = resolve(import.meta.dirname, "signing-key-file.ts");
    const startAt = Date.now() + 4000;
    // Each child waits for the same instant, so the creations really overlap.
    const script = `import { loadOrCreateSigningKey } from ${JSON.stringify(module)};
      while (Date.now() < ${startAt}) await new Promise((r) => setTimeout(r, 1));
      process.stdout.write(await loadOrCreateSigningKey(${JSON.stringify(dir)}));`;
    const run = () =>
      new Promise<string>((done, fail) => {
        const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk) => (out += chunk));
        child.stderr.on("data", (chunk) => (err += chunk));
        child.on("close", (code) => (code === 0 ? done(out) : fail(new Error(err))));
      });
    const keys = await Promise.all(Array.from({ length: 6 }, run));
    expect(keys[0]).toMatch(/^[\w-]{64}$/);
    expect(new Set(keys).size).toBe(1);
    expect(await readdir(join(dir, "auth"))).toEqual(["signing.key"]);
  });

  it("when the key file can be read by other users, then start-up stops with a chmod hint and without the key", async () => {
    const dir = await dataDir();
    const key = await loadOrCreateSigningKey(dir);
    await chmod(signingKeyPath(dir), 0o644);
    const error = await loadOrCreateSigningKey(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/can be read by other users \(mode 644\); run chmod 600/);
    expect((error as Error).message).not.toContain(key);
  });

  it("when the key file is empty or too short, then start-up stops and says how to recover", async () => {
    const dir = await dataDir();
    await loadOrCreateSigningKey(dir);
    await writeFile(signingKeyPath(dir), "short\n", { mode: 0o600 });
    await expect(loadOrCreateSigningKey(dir)).rejects.toThrow(/holds no usable key; delete it/);
  });

  it("when two services read one DATA_DIR, then a token signed for one verifies in the other", async () => {
    const dir = await dataDir();
    const config = {
      DATA_DIR: dir,
      AUTH_MODE: "local",
      AUTH_AUDIENCE: "smartrecover-api",
      AUTH_ROLES_CLAIM: "roles",
    } as const;
    const riskSide = await createTokenVerifier(config);
    const issuer = await localTokenSettings({
      mode: "local",
      issuer: "smartrecover",
      audience: "smartrecover-api",
      signingKey: undefined,
      dataDir: dir,
    });
    const { token } = await issueLocalToken(issuer, { subject: "alice", role: "reviewer", lifetimeSeconds: 60 });
    const syncSide = await createTokenVerifier(config);
    await expect(riskSide.verify(token)).resolves.toMatchObject({ subject: "alice", role: "reviewer" });
    await expect(syncSide.verify(token)).resolves.toMatchObject({ subject: "alice", role: "reviewer" });
  });
});
