import { Writable } from "node:stream";
import { z } from "zod";
import type { AuthOptions } from "../auth/auth.plugin";
import { createHttpApp, type HttpApp, type HttpAppOptions } from "../http/create-http-app";
import { createLogger } from "../logger";

/** Every line a logger wrote, for tests that look for secrets in logs. */
export interface CapturedLogs {
  lines: string[];
  text(): string;
}

/** A logger at trace level (the most that can ever be logged) writing into memory. */
export function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: "trace", name: "test", destination: stream });
  return { logger, logs: { lines, text: () => lines.join("\n") } satisfies CapturedLogs };
}

/**
 * A small app with one route per role, built with createHttpApp like the services: handlers echo
 * the principal, so tests see who the plugin says is calling.
 */
export async function roleTestApp(auth: AuthOptions, options: Partial<HttpAppOptions> = {}): Promise<HttpApp> {
  const app = await createHttpApp({
    logger: options.logger ?? createLogger({ level: "silent", name: "test" }),
    docs: { title: "auth test", version: "0.0.0" },
    metrics: { defaultMetrics: false },
    auth,
    ...options,
  });
  const echo = async (request: { principal: { subject: string; role: string } }) => ({
    subject: request.principal.subject,
    role: request.principal.role,
  });
  app.get("/api/things/", { config: { role: "viewer" }, schema: { summary: "List things" } }, echo);
  app.post(
    "/api/things/:id/review/",
    { config: { role: "reviewer" }, schema: { body: z.object({ note: z.string() }).strict() } },
    echo,
  );
  app.put("/api/things/:id/", { config: { role: "operator" } }, echo);
  app.post("/api/things/:id/redrive/", { config: { role: "admin" } }, echo);
  return app;
}
