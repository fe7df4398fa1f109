import { existsSync } from "node:fs";
import { join, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { errorBody } from "./console-errors";

const IMMUTABLE = "public, max-age=31536000, immutable";
// index.html names the current hashed bundles, so the browser must ask again each time.
const REVALIDATE = "no-cache";

/** Paths that belong to the server and never fall back to the SPA. */
const SERVER_PATHS = /^\/(api|console)(\/|$)/;

/**
 * The built SPA: hashed files under /assets/ cached for good, everything else revalidated, and
 * index.html for any other GET that wants HTML (client-side routes such as /review/42).
 */
async function spaStatic(app: FastifyInstance, options: { root: string }): Promise<void> {
  const built = existsSync(join(options.root, "index.html"));
  if (!built) app.log.warn({ root: options.root }, "the console SPA is not built: run pnpm build:console");
  else {
    await app.register(fastifyStatic, {
      root: options.root,
      index: "index.html",
      wildcard: true,
      setHeaders: (reply, path) => {
        reply.header("cache-control", path.includes(`${sep}assets${sep}`) ? IMMUTABLE : REVALIDATE);
      },
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const wantsPage =
      (request.method === "GET" || request.method === "HEAD") &&
      !SERVER_PATHS.test(path) &&
      !path.startsWith("/assets/") &&
      (request.headers.accept ?? "").includes("text/html");
    if (!wantsPage) {
      return reply
        .code(404)
        .send(errorBody(404, "ROUTE_NOT_FOUND", `no route for ${request.method} ${path.slice(0, 200)}`));
    }
    if (!built) {
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("The console is not built yet: run `pnpm build:console`, then reload.");
    }
    reply.header("cache-control", REVALIDATE);
    return reply.sendFile("index.html");
  });
}

export const spaStaticPlugin = fp(spaStatic, { name: "console-spa-static" });
