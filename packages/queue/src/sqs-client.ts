import { SQSClient } from "@aws-sdk/client-sqs";

/** Where the queues live: the subset of service configuration the SQS plumbing needs. */
export interface QueueSettings {
  region: string;
  /** Unset means AWS; set for LocalStack, fauxqs or an SQS VPC endpoint. */
  endpoint?: string | undefined;
  queueName: string;
  dlqName: string;
  /**
   * Create missing queues (and, for the consumer, apply the redrive policy) on first use
   * (SQS_CREATE_QUEUES; default true). False in production: `queues-setup` or the CDK stack
   * creates them, and the services only look them up (sqs:GetQueueUrl).
   */
  createQueues?: boolean;
  /**
   * Use the AWS SDK's default credential chain (environment, profile, IRSA web identity, ECS or
   * EC2 roles), also with an endpoint. False only for a loopback emulator without credentials.
   */
  awsCredentials?: boolean;
}

/** The AWS credential variables; any of them set (or SQS_USE_AWS_DEFAULT_CREDENTIALS) selects the default chain. */
interface CredentialConfig {
  SQS_USE_AWS_DEFAULT_CREDENTIALS?: boolean;
  AWS_ACCESS_KEY_ID?: string | undefined;
  AWS_PROFILE?: string | undefined;
  AWS_WEB_IDENTITY_TOKEN_FILE?: string | undefined;
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI?: string | undefined;
}

export function awsCredentialsConfigured(config: CredentialConfig): boolean {
  return Boolean(
    config.SQS_USE_AWS_DEFAULT_CREDENTIALS ||
      config.AWS_ACCESS_KEY_ID ||
      config.AWS_PROFILE ||
      config.AWS_WEB_IDENTITY_TOKEN_FILE ||
      config.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );
}

/** Maps the shared `commonEnv` variables (service-kit) to queue settings. */
export function queueSettingsFromConfig(
  config: {
    AWS_REGION: string;
    SQS_ENDPOINT?: string | undefined;
    SQS_QUEUE_NAME: string;
    SQS_DLQ_NAME: string;
    SQS_CREATE_QUEUES?: boolean;
  } & CredentialConfig,
): QueueSettings {
  return {
    region: config.AWS_REGION,
    endpoint: config.SQS_ENDPOINT,
    queueName: config.SQS_QUEUE_NAME,
    dlqName: config.SQS_DLQ_NAME,
    createQueues: config.SQS_CREATE_QUEUES ?? true,
    awsCredentials: awsCredentialsConfigured(config),
  };
}

/** Long polls wait up to 20 s, so a request may legitimately take that long; anything beyond is a dead peer. */
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECTION_TIMEOUT_MS = 3_000;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Whether an endpoint URL points at this machine (where an emulator may run). */
export function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/**
 * An SQS client. Credentials come from the AWS SDK's default chain whenever credentials are
 * configured, with or without an endpoint (an SQS VPC endpoint needs real, signed requests).
 * Fixed dummy credentials are used only for an emulator on loopback with none configured, which
 * spares developers an AWS profile; any other endpoint without credentials is refused.
 */
export function createSqsClient(settings: Pick<QueueSettings, "region" | "endpoint" | "awsCredentials">): SQSClient {
  const base = {
    region: settings.region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  };
  if (!settings.endpoint) return new SQSClient(base);
  if (settings.awsCredentials) return new SQSClient({ ...base, endpoint: settings.endpoint });
  if (!isLoopbackEndpoint(settings.endpoint)) {
    throw new Error(
      `SQS_ENDPOINT ${settings.endpoint} is not on loopback and no AWS credentials are configured: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, IRSA or SQS_USE_AWS_DEFAULT_CREDENTIALS=true`,
    );
  }
  return new SQSClient({
    ...base,
    endpoint: settings.endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}
