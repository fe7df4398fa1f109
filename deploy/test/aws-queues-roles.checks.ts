import { Match, type Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { configFromContext } from "../aws/src/stack-config";
import {
  context,
  grantsOf,
  logicalIdOf,
  OIDC_ISSUER,
  OIDC_PROVIDER_ARN,
  refTarget,
  resourcesOf,
} from "./support/cdk-template";
import { rendered } from "./support/rendered";
import { find } from "./support/workloads";

/** Queues, IRSA roles, alarms and the app's context, on the production stack. */
export function checkQueuesAndRoles(template: Template): void {
  const resources = resourcesOf(template);
  const queue = logicalIdOf(template, "AWS::SQS::Queue", "QueueName", "high-priority-debtors");
  const dlq = logicalIdOf(template, "AWS::SQS::Queue", "QueueName", "high-priority-debtors-dlq");
  const key = refTarget(resources[queue]?.Properties?.KmsMasterKeyId);
  const role = (name: string) => logicalIdOf(template, "AWS::IAM::Role", "RoleName", `smartrecover-production-${name}`);
  const on = (target: string, ...actions: string[]) => actions.map((action) => `${action} ${target}`);

  describe("the CDK stack's queues", () => {
    it("when synthesised, then both queues are encrypted with the stack's own rotating KMS key, and the main queue dead-letters after 5 receives", () => {
      expect(resources[key]?.Type).toBe("AWS::KMS::Key");
      expect(resources[key]?.Properties?.EnableKeyRotation).toBe(true);
      expect(refTarget(resources[dlq]?.Properties?.KmsMasterKeyId)).toBe(key);
      expect(resources[queue]?.Properties?.RedrivePolicy).toEqual({
        deadLetterTargetArn: { "Fn::GetAtt": [dlq, "Arn"] },
        maxReceiveCount: 5,
      });
      expect(resources[dlq]?.Properties?.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it.each([
      ["main", queue],
      ["dead-letter", dlq],
    ])("when anyone calls the %s queue without TLS, then its policy denies it", (_name, id) => {
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: "Deny",
              Principal: { AWS: "*" },
              Action: "sqs:*",
              Resource: { "Fn::GetAtt": [id, "Arn"] },
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ]),
        },
      });
    });

    it("when a principal other than risk-service or the redrive Job sends to the main queue, then the queue's own policy denies it", () => {
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Principal: { AWS: "*" },
              Action: "sqs:SendMessage",
              Condition: {
                StringNotEquals: {
                  "aws:PrincipalArn": [
                    { "Fn::GetAtt": [role("risk-service"), "Arn"] },
                    { "Fn::GetAtt": [role("dlq-redrive"), "Arn"] },
                  ],
                },
              },
            }),
          ]),
        },
      });
    });
  });

  describe("the CDK stack's IRSA roles", () => {
    // docs/delivery.md's list for each process, with queue creation left to this stack.
    it.each([
      [
        "risk-service",
        [
          ...on(queue, "sqs:GetQueueUrl", "sqs:SendMessage"),
          ...on(dlq, "sqs:GetQueueUrl"),
          ...on(key, "kms:GenerateDataKey", "kms:Decrypt"),
        ],
      ],
      [
        "partner-sync",
        [
          ...on(
            queue,
            "sqs:GetQueueUrl",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility",
          ),
          ...on(dlq, "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:SendMessage"),
          ...on(key, "kms:GenerateDataKey", "kms:Decrypt"),
        ],
      ],
      [
        "dlq-redrive",
        [
          ...on(
            dlq,
            "sqs:GetQueueUrl",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility",
          ),
          ...on(queue, "sqs:GetQueueUrl", "sqs:SendMessage"),
          ...on(key, "kms:GenerateDataKey", "kms:Decrypt"),
        ],
      ],
      ["keda-operator", on(queue, "sqs:GetQueueAttributes")],
    ])("when %s's role is read, then it allows exactly its SQS and KMS calls", (name, expected) => {
      expect([...grantsOf(template, role(name))].sort()).toEqual([...expected].sort());
    });

    it("when the publisher and the consumer are compared, then the sender cannot receive and the receiver cannot send to the main queue", () => {
      const sender = grantsOf(template, role("risk-service"));
      const receiver = grantsOf(template, role("partner-sync"));
      for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]) {
        expect(sender.has(`${action} ${queue}`)).toBe(false);
        expect(sender.has(`${action} ${dlq}`)).toBe(false);
      }
      expect(receiver.has(`sqs:SendMessage ${queue}`)).toBe(false);
      const everything = Object.keys(resources)
        .filter((id) => resources[id]?.Type === "AWS::IAM::Role")
        .flatMap((id) => [...grantsOf(template, id)]);
      expect(everything.filter((grant) => /\*/.test(grant))).toEqual([]);
    });

    it("when the secrets reader's role is read, then it reads SmartRecover's application and user secrets, never the admin's", () => {
      const secretName = (id: string): unknown => {
        const resource = resources[id];
        if (resource?.Type === "AWS::SecretsManager::SecretTargetAttachment") {
          return secretName(refTarget(resource.Properties?.SecretId));
        }
        return resource?.Type === "AWS::SecretsManager::Secret" ? resource.Properties?.Name : id;
      };
      const grants = [...grantsOf(template, role("secrets-reader"))].map((grant) => {
        const [action, id = ""] = grant.split(" ");
        return `${action} ${secretName(id)}`;
      });
      const names = [
        "smartrecover/database/risk-service",
        "smartrecover/database/partner-sync",
        "smartrecover/database/console",
        "smartrecover/database/migrator",
        "smartrecover/message-signing-key",
        "smartrecover/console-session-secret",
        "smartrecover/console-oidc-client-secret",
      ];
      const expected = names.flatMap((name) => [
        `secretsmanager:GetSecretValue ${name}`,
        `secretsmanager:DescribeSecret ${name}`,
      ]);
      expect(grants.sort()).toEqual(expected.sort());
    });

    it("when a pod assumes a role, then only its own ServiceAccount's token for STS is accepted", () => {
      const production = rendered("production");
      const namespace = find(production, "Namespace", "smartrecover").metadata.name;
      const accounts = {
        "risk-service": `${namespace}:risk-service`,
        "partner-sync": `${namespace}:partner-sync`,
        "dlq-redrive": `${namespace}:dlq-redrive`,
        "secrets-reader": `${namespace}:smartrecover-secrets`,
        "keda-operator": "keda:keda-operator",
      };
      for (const [name, account] of Object.entries(accounts)) {
        expect(resources[role(name)]?.Properties?.AssumeRolePolicyDocument).toEqual({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "sts:AssumeRoleWithWebIdentity",
              Principal: { Federated: OIDC_PROVIDER_ARN },
              Condition: {
                StringEquals: {
                  [`${OIDC_ISSUER}:sub`]: `system:serviceaccount:${account}`,
                  [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com",
                },
              },
            },
          ],
        });
      }
    });

    it("when the production overlay is applied, then its ServiceAccounts, queue name and secret names are the stack's", () => {
      const production = rendered("production");
      for (const account of production.filter((o) => o.kind === "ServiceAccount")) {
        const arn = account.metadata.annotations?.["eks.amazonaws.com/role-arn"];
        if (arn === undefined) continue;
        const roleName = arn.split(":role/")[1] ?? "";
        const id = logicalIdOf(template, "AWS::IAM::Role", "RoleName", roleName);
        const sub = JSON.stringify(resources[id]?.Properties?.AssumeRolePolicyDocument);
        expect(sub).toContain(`system:serviceaccount:${account.metadata.namespace}:${account.metadata.name}`);
      }
      const config = find(production, "ConfigMap", "smartrecover-config").data as Record<string, string>;
      logicalIdOf(template, "AWS::SQS::Queue", "QueueName", config["sqs-queue-name"] ?? "");
      logicalIdOf(template, "AWS::SQS::Queue", "QueueName", config["sqs-dlq-name"] ?? "");
      const remoteKeys = production
        .filter((o) => o.kind === "ExternalSecret")
        .flatMap((o) => {
          const spec = o.spec as { dataFrom?: { extract: { key: string } }[]; data?: { remoteRef: { key: string } }[] };
          return [...(spec.dataFrom ?? []).map((d) => d.extract.key), ...(spec.data ?? []).map((d) => d.remoteRef.key)];
        });
      expect(remoteKeys.length).toBe(7);
      for (const name of remoteKeys) logicalIdOf(template, "AWS::SecretsManager::Secret", "Name", name);
    });
  });

  describe("the CDK stack's alarms", () => {
    it("when messages wait too long in the main queue, or any sits in the DLQ, then an alarm fires", () => {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/SQS",
        MetricName: "ApproximateAgeOfOldestMessage",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queue, "QueueName"] } }],
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: Match.anyValue(),
      });
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [dlq, "QueueName"] } }],
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 0,
      });
    });
  });

  describe("the CDK app's context", () => {
    const read = (overrides: Record<string, unknown>) => {
      const values: Record<string, unknown> = { ...context("production"), ...overrides };
      return () => configFromContext((k) => values[k]);
    };

    it("when required context is missing, then synthesis stops naming every missing key", () => {
      expect(read({ vpcId: undefined, oidcProviderArn: "" })).toThrow("missing context: oidcProviderArn, vpcId");
    });

    it("when the OIDC provider, the stage or the subnets are wrong, then it says which", () => {
      expect(read({ oidcProviderArn: "arn:aws:iam::1:role/x" })).toThrow(/not an EKS OIDC provider ARN/);
      expect(read({ stage: "prod" })).toThrow(/stage must be production or staging/);
      expect(read({ privateSubnetIds: "subnet-1" })).toThrow(/one subnet per zone/);
    });
  });
}
