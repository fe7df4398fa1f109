// Writes prisma/<service>/<dialect>/schema.prisma from each model source and generates both
// Prisma clients. With --check it only verifies the committed schema files are up to date.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { schemaVariants } from "../schema-variants";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const prismaConfig = join(repoRoot, "packages/db-kit/prisma.config.ts");
const check = process.argv.includes("--check");
const dummyUrls = { sqlite: "file:./unused.db", mysql: "mysql://unused@localhost:1/unused" };

let stale = 0;
for (const variant of schemaVariants(repoRoot)) {
  const target = join(repoRoot, variant.schemaPath);
  const current = existsSync(target) ? readFileSync(target, "utf8") : null;
  if (check) {
    if (current !== variant.content) {
      stale += 1;
      console.error(`${variant.schemaPath} is out of date with its model.prisma: run \`pnpm db:generate\``);
    }
    continue;
  }
  if (current !== variant.content) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, variant.content);
  }
  execFileSync("pnpm", ["exec", "prisma", "generate", "--no-hints", "--config", prismaConfig], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: dummyUrls[variant.dialect],
      PRISMA_DIALECT: variant.dialect,
      PRISMA_SCHEMA: target,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  console.log(`generated ${variant.service} (${variant.dialect})`);
}
if (stale > 0) process.exit(1);
