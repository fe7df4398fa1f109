import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import Fastify, { type FastifyInstance } from "fastify";

export interface EchoedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
  bodySha256: string;
}

/** Stands in for a service: records every request it gets and answers with what it saw. */
export async function startEchoUpstream(): Promise<{ app: FastifyInstance; url: string; received: EchoedRequest[] }> {
  const received: EchoedRequest[] = [];
  const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.all("/*", async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const echoed: EchoedRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      bodyBytes: body.length,
      bodySha256: createHash("sha256").update(body).digest("hex"),
    };
    received.push(echoed);
    reply.header("set-cookie", "upstream=1; Path=/");
    return echoed;
  });
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, url: address, received };
}
