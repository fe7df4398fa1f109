import { setTimeout as sleep } from "node:timers/promises";
import { buildApp } from "fauxqs";

/**
 * Test support for fault injection: fauxqs in this process, bound to loopback, whose listener can
 * be stopped and started again on the same port. Queues and messages stay in memory meanwhile, as
 * they do in a real SQS that stops answering; every open connection (long polls included) is cut.
 */
export interface RestartableSqs {
  readonly endpoint: string;
  readonly port: number;
  readonly isUp: boolean;
  /** Closes the listener and every open connection; clients get ECONNREFUSED until up(). */
  down(): Promise<void>;
  /** Listens again on the same port, with the same queues and messages. */
  up(): Promise<void>;
  /** Delays every request by this many milliseconds (a slow SQS); 0 removes the delay. */
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

export async function startRestartableSqs(): Promise<RestartableSqs> {
  const app = buildApp({ logger: false });
  let latencyMs = 0;
  app.addHook("onRequest", async () => {
    if (latencyMs > 0) await sleep(latencyMs);
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("fauxqs did not bind a TCP port");
  const port = address.port;
  let isUp = true;
  let stopped: Promise<void> | undefined;

  const down = async () => {
    if (!isUp) return;
    isUp = false;
    await new Promise<void>((resolve) => {
      app.server.close(() => resolve());
      app.server.closeAllConnections();
    });
  };
  const up = async () => {
    if (isUp) return;
    await new Promise<void>((resolve, reject) => {
      app.server.once("error", reject);
      app.server.listen(port, "127.0.0.1", () => {
        app.server.off("error", reject);
        resolve();
      });
    });
    isUp = true;
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    get isUp() {
      return isUp;
    },
    down,
    up,
    setLatency(ms) {
      latencyMs = ms;
    },
    stop() {
      // Fastify closes its own listener, so it must be listening when it closes.
      stopped ??= up().then(() => app.close());
      return stopped;
    },
  };
}
