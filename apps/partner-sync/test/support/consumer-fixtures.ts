import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  connectQueues,
  type LocalSqsServer,
  publishMessages,
  type QueueConnection,
  type QueueSettings,
} from "@smartrecover/queue";
import { expect } from "vitest";
import { loadPartnerSyncConfig, type PartnerSyncConfig } from "../../src/config";
import type { PartnerSyncConsumer } from "../../src/consumer/partner-sync-consumer";

let queueCount = 0;

/** Fresh queue names on the given server; the consumer under test creates them. */
export function freshQueueSettings(server: LocalSqsServer, label: string): QueueSettings {
  queueCount += 1;
  const name = `${label}-${process.pid}-${queueCount}`;
  return { region: "us-east-1", endpoint: server.endpoint, queueName: name, dlqName: `${name}-dlq` };
}

/** partner-sync configuration for a test: its database, its queues, short timeouts. */
export function testConfig(databaseUrl: string, queues: QueueSettings, env: NodeJS.ProcessEnv = {}): PartnerSyncConfig {
  return loadPartnerSyncConfig({
    PARTNER_SYNC_DATABASE_URL: databaseUrl,
    SQS_ENDPOINT: queues.endpoint,
    SQS_QUEUE_NAME: queues.queueName,
    SQS_DLQ_NAME: queues.dlqName,
    SQS_VISIBILITY_TIMEOUT_SECONDS: "2",
    CONSUMER_CONCURRENCY: "3",
    PARTNER_MISSING_PROBABILITY: "0",
    ...env,
  });
}

/** Opens the queues the way the consumer does (creating them, redrive policy from config). */
export function openTestQueues(settings: QueueSettings, maxReceiveCount = 5): QueueConnection {
  return connectQueues(settings, { mode: "ensure", maxReceiveCount });
}

export async function sendBodies(queues: QueueConnection, bodies: string[]): Promise<void> {
  const { queueUrl } = await queues.urls();
  const sent = await publishMessages(
    queues.sqs,
    queueUrl,
    bodies.map((body, i) => ({ key: String(i), body })),
  );
  expect(sent.published).toHaveLength(bodies.length);
}

/** Starts the consumer, waits (bounded) until the queue is drained, and always stops it. */
export async function consumeUntilDrained(pipeline: PartnerSyncConsumer, timeoutMs = 30_000) {
  await pipeline.consumer.start();
  try {
    await Promise.race([
      pipeline.consumer.waitUntilDrained(),
      sleep(timeoutMs).then(() => Promise.reject(new Error(`queue not drained within ${timeoutMs} ms`))),
    ]);
  } finally {
    // Tests use short polls: waiting for them leaves no message stranded in an aborted poll.
    await pipeline.stop({ waitForPolls: true });
  }
  return pipeline.counters();
}

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), "../../../../..");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `pnpm cli …` as its own process. Asynchronous on purpose: the test's SQS server runs
 * in the test process and must keep answering while the command works.
 */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
