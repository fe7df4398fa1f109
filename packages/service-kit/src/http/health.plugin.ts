import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { z } from "zod";

export interface HealthOptions {
  /** Throws (or rejects) when the app cannot serve, e.g. its database does not answer. */
  readinessCheck?: () => Promise<unknown>;
  /** A check slower than this counts as failed (default 2 s). */
  readinessTimeoutMs?: number;
}

const HealthStatus = z.object({ status: z.string(), reason: z.string().optional() }).meta({ id: "HealthStatus" });

/** GET /healthz: the process is alive. GET /readyz: it can serve (the readiness check passes). */
export const healthPlugin = fp(
  async (app: FastifyInstance, options: HealthOptions) => {
    let closing = false;
    app.addHook("onClose", async () => {
      closing = true;
    });

    app.get(
      "/healthz",
      { schema: { tags: ["health"], summary: "Liveness", response: { 200: HealthStatus } } },
      async () => ({ status: "ok" }),
    );

    app.get(
      "/readyz",
      {
        schema: {
          tags: ["health"],
          summary: "Readiness: the database answers",
          response: { 200: HealthStatus, 503: HealthStatus },
        },
      },
      async (request, reply) => {
        if (closing) return reply.code(503).send({ status: "not_ready", reason: "shutting down" });
        try {
          await withTimeout(options.readinessCheck?.() ?? Promise.resolve(), options.readinessTimeoutMs ?? 2000);
          return { status: "ready" };
        } catch (error) {
          request.log.warn({ err: error }, "readiness check failed");
          // The reason stays generic: readiness is public and must not reveal internals.
          return reply.code(503).send({ status: "not_ready", reason: "dependency unavailable" });
        }
      },
    );
  },
  { name: "smartrecover-health" },
);

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
