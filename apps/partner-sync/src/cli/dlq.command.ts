import { intOption } from "@smartrecover/service-kit";
import type { Command } from "commander";
import { loadPartnerSyncConfig } from "../config";

export function registerDlqCommand(program: Command): void {
  const dlq = program.command("dlq").description("Inspect and redrive the dead-letter queue");
  dlq
    .command("list")
    .description("Show dead letters without removing them")
    .option("--limit <n>", "most messages to show", intOption("--limit", 1, 10_000), 50)
    .option("--bodies", "include message bodies (may contain personal data)", false)
    .option("--json", "print one JSON object per line", false)
    .action((options: { limit: number; bodies: boolean; json: boolean }) => list(options));
  dlq
    .command("redrive")
    .description("Move dead letters back to the main queue (receive, re-send, delete)")
    .option("--limit <n>", "most messages to move (default all)", intOption("--limit", 1, 1_000_000))
    .option("--json", "print the outcome as JSON", false)
    .action((options: { limit?: number; json: boolean }) => redrive(options));
}

/** The queue package (and the AWS SDK behind it) is loaded only by the commands that talk to SQS. */
async function open() {
  const config = loadPartnerSyncConfig();
  const queue = await import("@smartrecover/queue");
  const queues = queue.connectQueues(queue.queueSettingsFromConfig(config), {
    mode: "ensure",
    maxReceiveCount: config.SQS_MAX_RECEIVE_COUNT,
  });
  return { queue, queues };
}

async function list(options: { limit: number; bodies: boolean; json: boolean }): Promise<void> {
  const { queue, queues } = await open();
  try {
    const { dlqUrl } = await queues.urls();
    const letters = await queue.listDeadLetters(queues.sqs, dlqUrl, { limit: options.limit });
    const depth = await queue.queueDepth(queues.sqs, dlqUrl);
    const rows = letters.map(({ body, ...letter }) => (options.bodies ? { ...letter, body } : letter));
    if (options.json) {
      for (const row of rows) console.log(JSON.stringify(row));
      return;
    }
    console.log(`${depth.visible + depth.inFlight} dead letters in ${queues.settings.dlqName}; showing ${rows.length}`);
    for (const row of rows) {
      const when = row.sentAt?.toISOString() ?? "-";
      console.log(
        `  ${row.sqsMessageId}  message_id=${row.messageId ?? "-"}  sent=${when}  reason=${row.reason ?? "exceeded maxReceiveCount"}`,
      );
      if ("body" in row) console.log(`    ${row.body}`);
    }
  } finally {
    queues.close();
  }
}

async function redrive(options: { limit?: number; json: boolean }): Promise<void> {
  const { queue, queues } = await open();
  try {
    const outcome = await queue.redriveDeadLetters(queues.sqs, await queues.urls(), { limit: options.limit });
    if (options.json) console.log(JSON.stringify(outcome));
    else
      console.log(
        `Redrove ${outcome.redriven} messages to ${queues.settings.queueName}; ${outcome.failed} stay in the DLQ`,
      );
  } finally {
    queues.close();
  }
}
