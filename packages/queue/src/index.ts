export * from "./batch-consumer";
export * from "./dead-letter-queue";
export * from "./local-sqs-server";
export * from "./publish-batch";
export * from "./queue-connection";
export * from "./queue-operations";
export * from "./queue-setup";
export * from "./sqs-client";
