import { randomBytes, randomUUID } from "node:crypto";
import { link, mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../config";
import { MIN_SIGNING_KEY_BYTES } from "./auth-env";

export const SIGNING_KEY_FILE = "signing.key";

/** The key file's place: `$DATA_DIR/auth/signing.key`. */
export function signingKeyPath(dataDir: string): string {
  return join(dataDir, "auth", SIGNING_KEY_FILE);
}

/**
 * The local signing key of this machine: read from `$DATA_DIR/auth/signing.key`, created on first
 * use. Two processes starting at once must end up with one key, so the new key is written in full
 * to a private temporary file and then published with link(), which fails if the name exists: the
 * loser discards its key and reads the winner's. Nobody can read a half-written key.
 */
export async function loadOrCreateSigningKey(dataDir: string): Promise<string> {
  const file = signingKeyPath(dataDir);
  const existing = await readKeyFile(file);
  if (existing !== undefined) return existing;

  const folder = join(dataDir, "auth");
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const draft = join(folder, `.${SIGNING_KEY_FILE}.${randomUUID()}`);
  const handle = await open(draft, "wx", 0o600);
  try {
    await handle.writeFile(`${randomBytes(48).toString("base64url")}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(draft, { force: true });
  }
  const key = await readKeyFile(file);
  if (key === undefined) throw new ConfigError(`signing key file ${file} vanished while it was being created`);
  return key;
}

async function readKeyFile(file: string): Promise<string | undefined> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(
      `signing key file ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  const key = (await readFile(file, "utf8")).trim();
  if (Buffer.byteLength(key, "utf8") < MIN_SIGNING_KEY_BYTES) {
    throw new ConfigError(
      `signing key file ${file} holds no usable key; delete it to create a new one (tokens signed with the old key stop working)`,
    );
  }
  return key;
}
