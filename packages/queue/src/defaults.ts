// The `@smartrecover/queue/defaults` entry: constants a command line needs for its help text,
// importable without loading the AWS SDK.

/** Receives after which SQS moves a message to the dead-letter queue. */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;
