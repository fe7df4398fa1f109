// The demo's SQS server (fauxqs) in a thread of its own, as a real SQS would be a separate
// machine: its request handling then does not queue behind the pipeline's own work.
import { parentPort } from "node:worker_threads";
import { startLocalSqs } from "@smartrecover/queue";

const port = parentPort;
if (!port) throw new Error("demo-sqs.worker.ts runs as a worker thread");
const server = await startLocalSqs();
port.once("message", () => {
  void server.stop().then(() => port.close());
});
port.postMessage({ endpoint: server.endpoint });
