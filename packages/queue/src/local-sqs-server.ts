import { buildApp } from "fauxqs";

export interface LocalSqsServer {
  /** `http://127.0.0.1:<port>`: pass it as SQS_ENDPOINT / the client's endpoint. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts the fauxqs SQS emulator in this process, bound to loopback only (its own CLI binds
 * 0.0.0.0). Port 0 picks a free port. State is in memory: a restarted server has no queues.
 */
export async function startLocalSqs(options: { port?: number } = {}): Promise<LocalSqsServer> {
  // fauxqs persists state only through startFauxqs, which binds 0.0.0.0; loopback wins here.
  const app = buildApp({ logger: false });
  await app.listen({ host: "127.0.0.1", port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("fauxqs did not bind a TCP port");
  // close() is memoised: tests and shutdown hooks may both stop the server.
  const close = once(async () => {
    await app.close();
  });
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stop: close,
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => {
    result ??= fn();
    return result;
  };
}
