import { afterEach, describe, expect, it, vi } from "vitest";
import { startLocalSqs } from "./local-sqs-server";
import { connectQueues } from "./queue-connection";
import { createSqsClient, isLoopbackEndpoint, queueSettingsFromConfig } from "./sqs-client";

const base = { AWS_REGION: "eu-west-1", SQS_QUEUE_NAME: "q", SQS_DLQ_NAME: "q-dlq" };

/** The credentials the client would sign with, resolved as the SDK does before a request. */
async function credentialsOf(settings: ReturnType<typeof queueSettingsFromConfig>) {
  const client = createSqsClient(settings);
  try {
    const { accessKeyId } = await client.config.credentials();
    return accessKeyId;
  } finally {
    client.destroy();
  }
}

describe("SQS credentials", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("when an emulator on loopback is used with no credentials configured, then fixed local ones sign", async () => {
    const settings = queueSettingsFromConfig({ ...base, SQS_ENDPOINT: "http://127.0.0.1:4566" });
    expect(await credentialsOf(settings)).toBe("local");
  });

  it("when credentials are configured, then the default chain signs, with an endpoint (a VPC endpoint) or without", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIAREALKEY");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret");
    for (const endpoint of ["https://vpce-1.sqs.eu-west-1.vpce.amazonaws.com", "http://127.0.0.1:4566", undefined]) {
      const settings = queueSettingsFromConfig({ ...base, SQS_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: "AKIAREALKEY" });
      expect(settings.awsCredentials).toBe(true);
      expect(await credentialsOf(settings)).toBe("AKIAREALKEY");
    }
  });

  it("when an endpoint off loopback has no credentials configured, then the client is refused with the reason", () => {
    const settings = queueSettingsFromConfig({ ...base, SQS_ENDPOINT: "http://localstack:4566" });
    expect(() => createSqsClient(settings)).toThrow(/not on loopback and no AWS credentials are configured/);
  });

  it("when endpoints are classified, then only this machine's addresses count as loopback", () => {
    expect(
      ["http://127.0.0.1:1", "http://localhost:4566", "http://[::1]:9", "http://127.1.2.3"].map(isLoopbackEndpoint),
    ).toEqual([true, true, true, true]);
    expect(
      ["http://10.0.0.1", "https://sqs.us-east-1.amazonaws.com", "http://localhost.evil.com", "nonsense"].map(
        isLoopbackEndpoint,
      ),
    ).toEqual([false, false, false, false]);
  });
});

describe("SQS_CREATE_QUEUES", () => {
  it("when false and the queues are missing, then the lookup fails naming queues-setup and creates nothing; when true, they are created", async () => {
    const server = await startLocalSqs();
    try {
      const config = {
        ...base,
        AWS_REGION: "us-east-1",
        SQS_ENDPOINT: server.endpoint,
        SQS_QUEUE_NAME: "made",
        SQS_DLQ_NAME: "made-dlq",
      };
      const lookOnly = connectQueues(queueSettingsFromConfig({ ...config, SQS_CREATE_QUEUES: false }));
      await expect(lookOnly.urls()).rejects.toThrow(
        /queue made(-dlq)? does not exist and SQS_CREATE_QUEUES is false: run `pnpm cli queues-setup`/,
      );
      const creating = connectQueues(queueSettingsFromConfig({ ...config, SQS_CREATE_QUEUES: true }));
      const created = await creating.urls();
      expect(created.queueUrl).toMatch(/made$/);
      // Once they exist, the look-up-only connection finds them.
      expect(await lookOnly.urls()).toEqual(created);
      lookOnly.close();
      creating.close();
    } finally {
      await server.stop();
    }
  });
});
