import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { writeGeneratedBook } from "./generated-book-file";

const PROBE = fileURLToPath(new URL("./partner-book-read-probe.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "partner-book-memory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}

// The slowest spec of the partner book reader (~10 s on a 2-core machine): it reads a
// generated 1,000,000-row file (~45 MB) in a child process so the measure is its own.
describe("readPartnerBookFile memory", () => {
  it("when a 1,000,000-row file is read, then the live memory grows by less than 50 MB and every row is seen", async () => {
    const path = join(dir, "book.csv");
    writeGeneratedBook(path, 1_000_000);
    const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "--import", "tsx", PROBE, path], {
      maxBuffer: 1024 * 1024,
    });
    const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
    expect(report).toMatchObject({ kind: "valid", rows: 1_000_000, yielded: 1_000_000, sha256: await sha256Of(path) });
    // Rows, batches and parser buffers are garbage once handed on; what stays is the debtor
    // line index (8 bytes a slot, 2^21 slots for a million ids) and the counters.
    expect(report.liveGrowthMb).toBeGreaterThan(0);
    expect(report.liveGrowthMb).toBeLessThan(50);
    expect(report.progressCalls).toBeGreaterThan(100);
  });
});
