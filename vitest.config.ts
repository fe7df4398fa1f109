import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "apps/*/src/**/*.spec.ts",
      "apps/*/test/**/*.spec.ts",
      "packages/*/src/**/*.spec.ts",
      "packages/*/test/**/*.spec.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
