# syntax=docker/dockerfile:1
# One image for the whole repository. docker-compose.yml chooses each container's command
# (`pnpm cli db-migrate`, `pnpm start:risk-service`, …): the same commands CI runs natively.

ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS base
# Keep equal to "packageManager" in package.json: pnpm 10 would otherwise fetch that version at run time.
ARG PNPM_VERSION=10.34.9
# bash as the script shell execs the script's command, so the SIGTERM pnpm forwards reaches node
# (dash keeps itself in between and dies, orphaning node and skipping its graceful shutdown).
ENV CI=true \
    npm_config_update_notifier=false \
    npm_config_script_shell=/bin/bash
RUN npm install --global "pnpm@${PNPM_VERSION}" && npm cache clean --force
WORKDIR /app

FROM base AS build
ENV npm_config_store_dir=/pnpm/store
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=smartrecover-pnpm-store,target=/pnpm/store pnpm fetch
COPY . .
# The root postinstall runs `pnpm db:generate`: both Prisma clients of both services are generated
# here, offline (JavaScript schema engine, dummy database URLs).
RUN --mount=type=cache,id=smartrecover-pnpm-store,target=/pnpm/store pnpm install --offline --frozen-lockfile
# The CLI and both services run compiled: dist/ (tools/build.mjs, esbuild) is built here, with the
# development dependencies, and kept.
RUN pnpm build
# The console's SPA (apps/console/dist/web) needs vite, a development dependency: built before the prune.
RUN pnpm build:console
# Reinstall production dependencies only; the generated clients live in apps/*/src/generated and stay.
# No scripts are needed: better-sqlite3 ships prebuilt binaries and esbuild's come as packages.
RUN --mount=type=cache,id=smartrecover-pnpm-store,target=/pnpm/store \
    rm -rf node_modules apps/*/node_modules packages/*/node_modules tests/node_modules deploy/node_modules \
    && pnpm install --offline --frozen-lockfile --prod --ignore-scripts
# The image runs dist/ with plain node: no TypeScript loader (tsx is a development dependency), and
# every package dist/ imports is still installed (its node_modules links resolve).
RUN test ! -e node_modules/tsx \
    && test -z "$(find -L dist/node_modules -maxdepth 2 -type l)" \
    && node tools/run-built.mjs cli --help >/dev/null \
    && test -f apps/risk-service/src/generated/mysql/client.ts \
    && test -f apps/partner-sync/src/generated/mysql/client.ts \
    && test -f apps/console/dist/web/index.html

FROM base AS runtime
# No HOST here: the services bind to loopback unless told otherwise (compose sets HOST=0.0.0.0).
ENV NODE_ENV=production \
    DATA_DIR=/app/.data
COPY --from=build /app /app
# .data/auth exists owned by node (0700), so a volume mounted there starts out writable by the services.
RUN mkdir -p /app/.data/auth && chown -R node:node /app/.data && chmod 700 /app/.data/auth
USER node
EXPOSE 3000 3001 3002
# Compose sets a probe per service; this default fits the default command.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "docker/healthcheck.mjs", "http://127.0.0.1:3000/readyz"]
CMD ["pnpm", "start:risk-service"]
