import { defineConfig } from "vitest/config";

// `pnpm test:containers`: specs that start docker compose's MySQL 8 and LocalStack with
// testcontainers. Without Docker they are skipped with a message saying so; CI sets
// SMARTRECOVER_REQUIRE_DOCKER=1 so a runner without Docker fails instead of skipping.
export default defineConfig({
  test: {
    include: ["apps/*/test/**/*.containers.spec.ts", "tests/**/*.containers.spec.ts"],
    env: { SMARTRECOVER_CONTAINER_TESTS: "1" },
    // Image pulls and container start-up dominate.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
