// partner-sync's side of the demo in a thread of its own: it consumes while risk-service is still
// publishing, as the two services would run side by side.
import { parentPort, workerData } from "node:worker_threads";
import { startReconciling } from "./demo-partner-sync-stages";

export type ReconcileWorkerMessage =
  | { type: "ready" }
  | { type: "progress"; received: number }
  | { type: "done"; result: Awaited<ReturnType<Awaited<ReturnType<typeof startReconciling>>["drain"]>> };

const port = parentPort;
if (!port) throw new Error("demo-reconcile.worker.ts runs as a worker thread");
const send = (message: ReconcileWorkerMessage) => port.postMessage(message);
const stage = await startReconciling((workerData as { env: NodeJS.ProcessEnv }).env);
const ticker = setInterval(() => send({ type: "progress", received: stage.received() }), 250);
port.on("message", (command: "drain" | "stop") => {
  const finished = command === "drain" ? stage.drain().then((result) => send({ type: "done", result })) : stage.stop();
  void finished.finally(() => {
    clearInterval(ticker);
    port.close();
  });
});
send({ type: "ready" });
