import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { oidcIssuerOf, SERVICE_ACCOUNTS } from "./stack-config";

export interface ServiceRolesProps {
  stage: string;
  oidcProviderArn: string;
  namespace: string;
  kedaNamespace: string;
  kedaServiceAccount: string;
  queue: sqs.IQueue;
  deadLetterQueue: sqs.IQueue;
  key: kms.IKey;
  secrets: secretsmanager.ISecret[];
}

/**
 * One IAM role per Kubernetes ServiceAccount (IRSA), each with exactly the SQS calls docs/delivery.md
 * lists for what runs under it, with SQS_CREATE_QUEUES=false (the stack creates the queues):
 * - risk-service (the API and the process-debtors CronJob): look both queues up, send to the main queue;
 * - partner-sync: receive, delete and extend visibility on the main queue, read both queues' depth,
 *   send to the DLQ only (poison messages are copied there);
 * - dlq-redrive (operator Job): receive and delete on the DLQ, send to the main queue;
 * - the KEDA operator: read the main queue's depth;
 * - the External Secrets Operator's account: read SmartRecover's secrets.
 */
export class ServiceRoles extends Construct {
  readonly riskService: iam.Role;
  readonly partnerSync: iam.Role;
  readonly dlqRedrive: iam.Role;
  readonly kedaOperator: iam.Role;
  readonly secretsReader: iam.Role;
  private readonly provider: iam.IOpenIdConnectProvider;
  private readonly issuer: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ServiceRolesProps,
  ) {
    super(scope, id);
    this.provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(this, "ClusterOidc", props.oidcProviderArn);
    this.issuer = oidcIssuerOf(props.oidcProviderArn);
    const { queue, deadLetterQueue: dlq, key } = props;
    const lookUp = ["sqs:GetQueueUrl"];
    const depth = ["sqs:GetQueueAttributes"];
    const consume = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"];
    const send = ["sqs:SendMessage"];
    // SSE-KMS: a sender makes data keys, a receiver decrypts them.
    const encrypt = ["kms:GenerateDataKey", "kms:Decrypt"];

    this.riskService = this.role("risk-service", props.namespace, SERVICE_ACCOUNTS.riskService, [
      [queue.queueArn, [...lookUp, ...send]],
      [dlq.queueArn, lookUp],
      [key.keyArn, encrypt],
    ]);
    this.partnerSync = this.role("partner-sync", props.namespace, SERVICE_ACCOUNTS.partnerSync, [
      [queue.queueArn, [...lookUp, ...depth, ...consume]],
      [dlq.queueArn, [...lookUp, ...depth, ...send]],
      [key.keyArn, encrypt],
    ]);
    this.dlqRedrive = this.role("dlq-redrive", props.namespace, SERVICE_ACCOUNTS.dlqRedrive, [
      [dlq.queueArn, [...lookUp, ...depth, ...consume]],
      [queue.queueArn, [...lookUp, ...send]],
      [key.keyArn, encrypt],
    ]);
    this.kedaOperator = this.role("keda-operator", props.kedaNamespace, props.kedaServiceAccount, [
      [queue.queueArn, depth],
    ]);
    this.secretsReader = this.role("secrets-reader", props.namespace, SERVICE_ACCOUNTS.secretsReader, [
      ...props.secrets.map((secret): [string, string[]] => [
        secret.secretArn,
        ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      ]),
    ]);
  }

  private role(name: string, namespace: string, serviceAccount: string, grants: [string, string[]][]): iam.Role {
    // Only this ServiceAccount's projected token, issued for STS, can assume the role.
    const conditions = {
      [`${this.issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
      [`${this.issuer}:aud`]: "sts.amazonaws.com",
    };
    const role = new iam.Role(this, name, {
      roleName: `smartrecover-${this.props.stage}-${name}`,
      description: `IRSA role of ${namespace}/${serviceAccount}`,
      assumedBy: new iam.OpenIdConnectPrincipal(this.provider, { StringEquals: conditions }),
    });
    for (const [resource, actions] of grants) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [resource] }));
    }
    return role;
  }
}
