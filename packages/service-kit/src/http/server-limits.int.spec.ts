import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { parseConfig } from "../config";
import { createLogger } from "../logger";
import { createTestTokens } from "../testing/test-tokens";
import { createHttpApp, type HttpApp } from "./create-http-app";
import { DEFAULT_SERVER_LIMITS, httpHardeningEnv, type ServerLimits, serverLimitsFromConfig } from "./server-limits";

const apps: HttpApp[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function listening(server: Partial<ServerLimits>): Promise<number> {
  const app = await createHttpApp({
    logger: createLogger({ level: "silent", name: "t" }),
    docs: { title: "t", version: "0" },
    metrics: { defaultMetrics: false },
    auth: createTestTokens().auth(),
    server,
  });
  apps.push(app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  return (app.server.address() as AddressInfo).port;
}

/** Opens a raw connection, writes `data`, and resolves with what came back and when the server closed it. */
function rawExchange(port: number, data: string): Promise<{ received: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: "127.0.0.1", port });
    sockets.push(socket);
    let received = "";
    socket.on("data", (chunk) => (received += chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve({ received, closedAfterMs: Date.now() - started }));
    socket.write(data);
  });
}

describe("server timeouts", () => {
  it("when the environment is empty, then the documented defaults apply", () => {
    const config = parseConfig(z.object(httpHardeningEnv), {});
    expect(serverLimitsFromConfig(config)).toEqual({
      requestTimeoutMs: 30_000,
      connectionTimeoutMs: 120_000,
      keepAliveTimeoutMs: 72_000,
      maxEventLoopDelayMs: 1000,
    });
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(1200);
    expect(DEFAULT_SERVER_LIMITS.requestTimeoutMs).toBe(30_000);
  });

  it("when a client sends half a request and stalls, then it gets 408 and is disconnected after the request timeout", async () => {
    const port = await listening({ requestTimeoutMs: 600, connectionTimeoutMs: 60_000 });
    const { received, closedAfterMs } = await rawExchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(500);
    expect(closedAfterMs).toBeLessThan(3000);
  });

  it("when a keep-alive connection stays idle after a response, then the server closes it after the keep-alive timeout", async () => {
    const port = await listening({ keepAliveTimeoutMs: 500 });
    const { received, closedAfterMs } = await rawExchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(received).toMatch(/keep-alive/i);
    expect(closedAfterMs).toBeGreaterThanOrEqual(400);
    expect(closedAfterMs).toBeLessThan(3000);
  });

  it("when a connection sends nothing at all, then it is closed after the connection timeout", async () => {
    const port = await listening({ connectionTimeoutMs: 500, requestTimeoutMs: 30_000 });
    const { received, closedAfterMs } = await rawExchange(port, "");
    expect(received).toBe("");
    expect(closedAfterMs).toBeGreaterThanOrEqual(400);
    expect(closedAfterMs).toBeLessThan(3000);
  });

  it("when a variable is out of range, then the config error names it", () => {
    expect(() => parseConfig(z.object(httpHardeningEnv), { RATE_LIMIT_PER_MINUTE: "0" })).toThrow(
      /RATE_LIMIT_PER_MINUTE/,
    );
    expect(() => parseConfig(z.object(httpHardeningEnv), { HTTP_REQUEST_TIMEOUT_MS: "10" })).toThrow(
      /HTTP_REQUEST_TIMEOUT_MS/,
    );
  });
});
