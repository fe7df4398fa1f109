import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PartnerSyncEnv } from "@smartrecover/partner-sync/config";
import { RiskServiceEnv } from "@smartrecover/risk-service/config";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { REPO_ROOT } from "./support/run-command";

const schemas: Record<string, z.ZodObject> = { "risk-service": RiskServiceEnv, "partner-sync": PartnerSyncEnv };
const variables = [...new Set(Object.values(schemas).flatMap((schema) => Object.keys(schema.shape)))];
const field = (name: string) => Object.values(schemas).find((schema) => name in schema.shape)?.shape[name] as z.ZodType;
const defaultOf = (name: string) => field(name).parse(undefined);
const readers = (name: string) =>
  Object.entries(schemas)
    .filter(([, schema]) => name in schema.shape)
    .map(([service]) => service);

/** Rows of the table under "## Configuration": variable → [service, default, meaning]. */
function configurationTable(): Map<string, string[]> {
  const text = readFileSync(join(REPO_ROOT, "docs/operations.md"), "utf8");
  const section = text.slice(text.indexOf("\n## Configuration"));
  const rows = section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  return new Map(rows.map(([variable = "", ...rest]) => [variable.replaceAll("`", ""), rest]));
}

/** `.env.example` assignments, commented-out (`# NAME=value`) ones marked as such. */
function envExample(): { name: string; value: string; commented: boolean }[] {
  return readFileSync(join(REPO_ROOT, ".env.example"), "utf8")
    .split("\n")
    .map((line) => /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, comment, name = "", value = ""]) => ({ name, value, commented: comment !== undefined }));
}

describe("configuration reference (docs/operations.md)", () => {
  const table = configurationTable();

  it("when a service's config schema has a variable, then the table has a row for it, and no row for anything else", () => {
    expect(variables.length).toBeGreaterThan(20);
    expect(variables.filter((name) => !table.has(name))).toEqual([]);
    expect([...table.keys()].filter((name) => !variables.includes(name))).toEqual([]);
  });

  it.each(variables)("when the table describes %s, then it names the services that read it", (name) => {
    const [service] = table.get(name) ?? [];
    const expected = readers(name).length === 2 ? "both" : readers(name)[0];
    expect(service).toBe(expected);
  });

  it.each(variables)("when the table shows the default of %s, then it is the schema's default", (name) => {
    const [, shown = ""] = table.get(name) ?? [];
    const fallback = defaultOf(name);
    if (fallback === undefined) expect(shown).toMatch(/^unset\b/);
    else expect(field(name).parse(shown.replaceAll("`", ""))).toEqual(fallback);
  });
});

describe(".env.example", () => {
  const entries = envExample();

  it("when a service's config schema has a variable, then .env.example lists it", () => {
    const listed = new Set(entries.map((entry) => entry.name));
    expect(variables.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("when .env.example sets a variable, then it is a known one and the value shown is its default", () => {
    const set = entries.filter((entry) => !entry.commented);
    expect(set.length).toBeGreaterThan(10);
    for (const { name, value } of set) {
      expect(variables, name).toContain(name);
      expect(field(name).parse(value), name).toEqual(defaultOf(name));
    }
  });
});
