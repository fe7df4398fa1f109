import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rendered, VARIANTS } from "./support/rendered";
import { REPO_ROOT } from "./support/repo-paths";
import { allContainers, workloadsOf } from "./support/workloads";

/**
 * Variables fixed ahead of the code (NAMES.md) that the manifests already set but .env.example
 * does not document yet. Each entry goes once the issue that introduces it updates
 * .env.example; the test below fails when an entry is no longer needed.
 */
const NOT_YET_IN_ENV_EXAMPLE: Record<string, string> = {
  CONSOLE_PORT: "#14 console",
  RISK_SERVICE_URL: "#14 console",
  PARTNER_SYNC_URL: "#14 console",
  CONSOLE_DATABASE_URL: "#14 console",
  OIDC_ISSUER: "#14 console",
  OIDC_CLIENT_ID: "#14 console",
  OIDC_CLIENT_SECRET: "#14 console",
  CONSOLE_SESSION_SECRET: "#14 console",
};

/** Names .env.example documents, set (`NAME=value`) or shown commented out (`# NAME=value`). */
function documentedNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^#?[ \t]*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? ""));
}

const documented = documentedNames(readFileSync(join(REPO_ROOT, ".env.example"), "utf8"));
const usedByManifests = new Set(
  VARIANTS.flatMap((variant) =>
    workloadsOf(rendered(variant)).flatMap(({ pod }) =>
      allContainers(pod).flatMap((container) => (container.env ?? []).map((variable) => variable.name)),
    ),
  ),
);

describe("variables the manifests set", () => {
  it("when a container sets a variable, then .env.example documents it or it is listed as coming with an open issue", () => {
    const unknown = [...usedByManifests].filter((name) => !documented.has(name) && !(name in NOT_YET_IN_ENV_EXAMPLE));
    expect(unknown).toEqual([]);
  });

  it("when .env.example has caught up with a listed variable, then the entry is removed from the list", () => {
    expect(Object.keys(NOT_YET_IN_ENV_EXAMPLE).filter((name) => documented.has(name))).toEqual([]);
  });

  it("when a variable is listed as coming, then the manifests actually use it", () => {
    expect(Object.keys(NOT_YET_IN_ENV_EXAMPLE).filter((name) => !usedByManifests.has(name))).toEqual([]);
  });

  it("when .env.example is read, then set and commented-out variables count and prose does not", () => {
    const names = documentedNames(
      "# --- shared ---\nHOST=127.0.0.1\n# RISK_DATABASE_URL=file:x\n# Port of the API=3000\n",
    );
    expect([...names].sort()).toEqual(["HOST", "RISK_DATABASE_URL"]);
  });
});
