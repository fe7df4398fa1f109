import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import type { ConsumeStageResult } from "./demo-partner-sync-stages";
import type { ReconcileWorkerMessage } from "./demo-reconcile.worker";

/**
 * The workers sit beside this module: TypeScript sources under tsx, compiled files beside the
 * bundle's chunks in dist/ (see tools/build.mjs).
 */
const WORKER_EXTENSION = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** How long a thread may take to shut down cleanly before it is terminated. */
const STOP_GRACE_MS = 10_000;

function exitOf(worker: Worker): Promise<number> {
  return new Promise((resolve) => worker.once("exit", resolve));
}

async function stopWorker(worker: Worker, exited: Promise<number>, command: string): Promise<void> {
  worker.postMessage(command);
  // An unref'd timer: waiting out the grace period must not keep the process alive by itself.
  const clean = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS, false, { ref: false })]);
  if (!clean) await worker.terminate();
}

export interface SqsThread {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** fauxqs on 127.0.0.1, in a worker thread of this process. */
export async function startSqsThread(): Promise<SqsThread> {
  const worker = new Worker(new URL(`./demo-sqs.worker${WORKER_EXTENSION}`, import.meta.url));
  const exited = exitOf(worker);
  const endpoint = await new Promise<string>((resolve, reject) => {
    worker.once("message", (message: { endpoint: string }) => resolve(message.endpoint));
    worker.once("error", reject);
    void exited.then((code) => reject(new Error(`the SQS thread exited (${code})`)));
  });
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    stop: () => {
      stopping ??= stopWorker(worker, exited, "stop");
      return stopping;
    },
  };
}

export interface ReconcileThread {
  /** Resolves once the consumer polls (its queues exist, with partner-sync's redrive policy). */
  readonly ready: Promise<void>;
  /** Messages received so far. */
  received(): number;
  /** Once publishing is done: waits until the queue is drained and returns the consumer's result. */
  drain(): Promise<ConsumeStageResult>;
  stop(): Promise<void>;
}

/** partner-sync's consumer, configured by `env`, consuming from now on in a worker thread. */
export function startReconcileThread(env: NodeJS.ProcessEnv): ReconcileThread {
  const worker = new Worker(new URL(`./demo-reconcile.worker${WORKER_EXTENSION}`, import.meta.url), {
    workerData: { env },
  });
  const exited = exitOf(worker);
  let received = 0;
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    signalReady = resolve;
  });
  const result = new Promise<ConsumeStageResult>((resolve, reject) => {
    worker.on("message", (message: ReconcileWorkerMessage) => {
      if (message.type === "ready") signalReady();
      else if (message.type === "progress") received = message.received;
      else resolve(message.result);
    });
    worker.once("error", reject);
    void exited.then((code) => reject(new Error(`the reconcile thread exited (${code}) before the queue drained`)));
  });
  // Failures surface through `ready` or `drain`; this only keeps an early one from going unhandled.
  result.catch(() => {});
  let stopping: Promise<void> | undefined;
  return {
    ready: Promise.race([ready, result.then(() => {})]),
    received: () => received,
    async drain() {
      worker.postMessage("drain");
      const outcome = await result;
      await exited;
      return outcome;
    },
    stop: () => {
      stopping ??= stopWorker(worker, exited, "stop");
      return stopping;
    },
  };
}
