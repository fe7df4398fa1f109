import { configDefaults, defineConfig } from "vitest/config";

// CI asks for a JSON report as well (VITEST_JSON_REPORT) to print a one-line summary.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: [
      "apps/*/src/**/*.spec.ts",
      "apps/*/test/**/*.spec.ts",
      "packages/*/src/**/*.spec.ts",
      "packages/*/test/**/*.spec.ts",
      "deploy/test/**/*.spec.ts",
      // Repo-wide system tests: faults, security, compose, Dockerfile, config docs, dev stack.
      "tests/**/*.spec.ts",
      // The console's React component specs (jsdom, chosen per file).
      "apps/console/src/**/*.spec.tsx",
      "apps/console/test/**/*.spec.tsx",
    ],
    // The containers suite needs Docker and runs with its own config (pnpm test:containers).
    exclude: [...configDefaults.exclude, "**/*.containers.spec.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
  },
});
