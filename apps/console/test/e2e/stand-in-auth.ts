import type { FastifyReply, FastifyRequest } from "fastify";
import { jwtVerify } from "jose";

const ROLES = ["viewer", "reviewer", "operator", "admin"] as const;
export type StandInRole = (typeof ROLES)[number];

export interface Caller {
  subject: string;
  role: StandInRole;
}

/** Verifies the bearer token as the services will (HS256, iss, aud) and enforces a minimum role. */
export function bearerGuard(options: { key: Uint8Array; issuer: string; audience: string }) {
  return async (request: FastifyRequest, reply: FastifyReply, needed: StandInRole): Promise<Caller | null> => {
    const header = request.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    try {
      const { payload } = await jwtVerify(token, options.key, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ["HS256"],
      });
      const role = payload.role;
      if (typeof payload.sub !== "string" || !ROLES.includes(role as StandInRole)) throw new Error("claims");
      const caller = { subject: payload.sub, role: role as StandInRole };
      if (ROLES.indexOf(caller.role) < ROLES.indexOf(needed)) {
        reply
          .code(403)
          .send({ status_code: 403, error: "Forbidden", code: "FORBIDDEN", message: `needs the ${needed} role` });
        return null;
      }
      return caller;
    } catch {
      reply.code(401).header("www-authenticate", "Bearer").send({
        status_code: 401,
        error: "Unauthorized",
        code: "UNAUTHORIZED",
        message: "a valid bearer token is required",
      });
      return null;
    }
  };
}
