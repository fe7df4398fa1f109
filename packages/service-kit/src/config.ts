import { z } from "zod";

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses environment variables with a zod object schema and fails fast with one line per bad
 * variable, naming it. Services call this once at start-up; nothing else reads process.env.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
}

/** An optional variable where an empty string means "not set". */
export const optionalString = () => z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

export const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

/** "true" or "false", as a boolean. */
export const booleanFlag = (fallback: "true" | "false") =>
  z
    .enum(["true", "false"])
    .default(fallback)
    .transform((value) => value === "true");

/** Shared variables of both services, with their defaults and descriptions (.env.example mirrors these). */
export const commonEnv = {
  DATA_DIR: z
    .string()
    .min(1)
    .default(".data")
    .describe("Folder for the embedded SQLite databases and local queue state"),
  LOG_LEVEL: logLevel.describe("pino log level"),
  HOST: z.string().min(1).default("127.0.0.1").describe("Interface the HTTP servers bind to"),
  AWS_REGION: z.string().min(1).default("us-east-1").describe("AWS region of the SQS queues"),
  SQS_ENDPOINT: optionalString().describe("SQS endpoint URL (LocalStack, fauxqs); unset means AWS"),
  SQS_QUEUE_NAME: z.string().min(1).default("high-priority-debtors").describe("Main queue of high-priority debtors"),
  SQS_DLQ_NAME: z.string().min(1).default("high-priority-debtors-dlq").describe("Dead-letter queue of the main queue"),
  SQS_USE_AWS_DEFAULT_CREDENTIALS: booleanFlag("false").describe(
    "Use AWS's default credential chain even without AWS_* variables (EC2 instance profiles), with or without SQS_ENDPOINT",
  ),
  SQS_CREATE_QUEUES: booleanFlag("true").describe(
    "Create missing queues on first use; false in production, where `pnpm cli queues-setup` or the CDK stack creates them",
  ),
  MIGRATE_ON_START: booleanFlag("true").describe(
    "Apply pending database migrations when a service or command opens its database; false where a job runs `pnpm cli db-migrate` as a DDL user",
  ),
  AWS_ACCESS_KEY_ID: optionalString().describe("Standard AWS credential variable (read by the AWS SDK)"),
  AWS_SECRET_ACCESS_KEY: optionalString().describe("Secret of AWS_ACCESS_KEY_ID (read by the AWS SDK; never logged)"),
  AWS_PROFILE: optionalString().describe("Standard AWS profile variable (read by the AWS SDK)"),
  AWS_WEB_IDENTITY_TOKEN_FILE: optionalString().describe("Set by EKS for IAM roles for service accounts"),
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: optionalString().describe("Set by ECS for task roles"),
} as const;

type QueueTargetConfig = {
  SQS_ENDPOINT?: string | undefined;
  SQS_USE_AWS_DEFAULT_CREDENTIALS: boolean;
  AWS_ACCESS_KEY_ID?: string | undefined;
  AWS_PROFILE?: string | undefined;
  AWS_WEB_IDENTITY_TOKEN_FILE?: string | undefined;
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI?: string | undefined;
};

/**
 * Whether a queue is configured at all. With no SQS_ENDPOINT the target is AWS, but only when
 * some AWS credentials are configured: otherwise the SDK would probe the EC2 metadata address
 * from a developer's machine. Without a queue, messages wait in the outbox.
 */
export function queueTargetConfigured(config: QueueTargetConfig): boolean {
  return Boolean(
    config.SQS_ENDPOINT ||
      config.SQS_USE_AWS_DEFAULT_CREDENTIALS ||
      config.AWS_ACCESS_KEY_ID ||
      config.AWS_PROFILE ||
      config.AWS_WEB_IDENTITY_TOKEN_FILE ||
      config.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );
}

export const QUEUE_NOT_CONFIGURED =
  "no queue configured: set SQS_ENDPOINT (a local SQS server such as `pnpm dev` starts) or AWS credentials; messages wait in the outbox";
