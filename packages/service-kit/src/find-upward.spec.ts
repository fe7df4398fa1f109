import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { findUpward } from "./find-upward";

describe("findUpward", () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "find-upward-")));
  mkdirSync(join(root, "prisma/risk-service"), { recursive: true });
  mkdirSync(join(root, "apps/risk-service/src/db"), { recursive: true });
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(join(root, "apps/risk-service/src/db/risk-database.ts"), "");
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("finds the same folder from a source file and from a bundle at another depth", () => {
    const fromSource = pathToFileURL(join(root, "apps/risk-service/src/db/risk-database.ts"));
    const fromBundle = pathToFileURL(join(root, "dist/chunk-ABC.js"));
    expect(findUpward(fromSource, "prisma/risk-service")).toBe(join(root, "prisma/risk-service"));
    expect(findUpward(fromBundle.href, "prisma/risk-service")).toBe(join(root, "prisma/risk-service"));
  });

  it("names what it looked for when nothing above has it", () => {
    const from = pathToFileURL(join(root, "dist/chunk-ABC.js"));
    expect(() => findUpward(from, "prisma/no-such-service-3f9c")).toThrow(/prisma\/no-such-service-3f9c not found/);
  });
});
