import { SQSClient } from "@aws-sdk/client-sqs";

/** Where the queues live: the subset of service configuration the SQS plumbing needs. */
export interface QueueSettings {
  region: string;
  /** Unset means AWS; set for LocalStack or fauxqs. */
  endpoint?: string | undefined;
  queueName: string;
  dlqName: string;
}

/** Maps the shared `commonEnv` variables (service-kit) to queue settings. */
export function queueSettingsFromConfig(config: {
  AWS_REGION: string;
  SQS_ENDPOINT?: string | undefined;
  SQS_QUEUE_NAME: string;
  SQS_DLQ_NAME: string;
}): QueueSettings {
  return {
    region: config.AWS_REGION,
    endpoint: config.SQS_ENDPOINT,
    queueName: config.SQS_QUEUE_NAME,
    dlqName: config.SQS_DLQ_NAME,
  };
}

/** Long polls wait up to 20 s, so a request may legitimately take that long; anything beyond is a dead peer. */
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECTION_TIMEOUT_MS = 3_000;

export function createSqsClient(settings: Pick<QueueSettings, "region" | "endpoint">): SQSClient {
  return new SQSClient({
    region: settings.region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    ...(settings.endpoint
      ? {
          endpoint: settings.endpoint,
          // Local emulators accept any signature; fixed credentials spare developers an AWS profile.
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }
      : {}),
  });
}
