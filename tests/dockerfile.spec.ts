import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/run-command";

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

const all = instructions(readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8"));
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
const argDefaults = Object.fromEntries(
  all.filter((i) => i.keyword === "ARG" && i.args.includes("=")).map((i) => i.args.split("=") as [string, string]),
);
const stages = all.reduce<Instruction[][]>((list, i) => {
  if (i.keyword === "FROM") list.push([]);
  list.at(-1)?.push(i);
  return list;
}, []);
const finalStage = stages.at(-1) ?? [];
const runs = all.filter((i) => i.keyword === "RUN").map((i) => i.args);

describe("Dockerfile", () => {
  it("when built, then every stage starts from node:24-slim or an earlier stage", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const names: string[] = [];
    for (const [from] of stages) {
      const [image = "", , name] = (from?.args ?? "").split(/\s+/);
      const resolved = image.replace(/^\$\{(\w+)\}$/, (_, arg: string) => argDefaults[arg] ?? "");
      expect(resolved === "node:24-slim" || names.includes(resolved), resolved).toBe(true);
      if (name) names.push(name);
    }
  });

  it("when pnpm is installed, then it is the version package.json's packageManager names", () => {
    expect(`pnpm@${argDefaults.PNPM_VERSION}`).toBe(packageJson.packageManager);
    expect(runs.some((run) => run.includes(`npm install --global "pnpm@$\{PNPM_VERSION}"`))).toBe(true);
  });

  it("when dependencies are installed, then Prisma clients are generated first and the image keeps production ones only", () => {
    const full = runs.findIndex((run) => /pnpm install --offline --frozen-lockfile$/.test(run));
    const prod = runs.findIndex((run) => run.includes("pnpm install --offline --frozen-lockfile --prod"));
    expect(full, "a full install, whose postinstall runs pnpm db:generate").toBeGreaterThanOrEqual(0);
    expect(packageJson.scripts.postinstall).toBe("pnpm db:generate");
    expect(prod).toBeGreaterThan(full);
    expect(runs[prod]).toMatch(/rm -rf node_modules apps\/\*\/node_modules packages\/\*\/node_modules/);
    const finalRuns = finalStage.filter((i) => i.keyword === "RUN").map((i) => i.args);
    expect(finalRuns.join("\n")).not.toContain("pnpm install");
    expect(finalStage.find((i) => i.keyword === "COPY")?.args).toBe("--from=build /app /app");
  });

  it("when the image runs, then it runs as a non-root user, with a healthcheck and a package.json script", () => {
    const user = finalStage.filter((i) => i.keyword === "USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user?.split(":")[0]);
    expect(finalStage.find((i) => i.keyword === "HEALTHCHECK")?.args).toContain('"node", "docker/healthcheck.mjs"');
    const command = JSON.parse(finalStage.find((i) => i.keyword === "CMD")?.args ?? "[]") as string[];
    expect(command[0]).toBe("pnpm");
    expect(packageJson.scripts).toHaveProperty([command[1] ?? ""]);
  });

  it("when the image runs, then it sets no HOST: a service binds to loopback unless its runner (compose) says otherwise", () => {
    const env = all.filter((i) => i.keyword === "ENV").map((i) => i.args);
    expect(env.length).toBeGreaterThan(0);
    expect(env.filter((args) => /(^|\s)HOST[=\s]/.test(args))).toEqual([]);
  });

  it("when the build context is sent, then local dependencies, state and secrets stay out but sources go in", () => {
    const ignored = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    for (const pattern of ["**/node_modules", ".git", ".env", ".data", "apps/*/src/generated"]) {
      expect(ignored).toContain(pattern);
    }
    for (const needed of ["apps", "packages", "prisma", "docker", "package.json", "pnpm-lock.yaml"]) {
      expect(ignored.filter((pattern) => pattern === needed || pattern === `${needed}/`)).toEqual([]);
    }
  });
});
