import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { QueueAlarms } from "./alarms.construct";
import { Database } from "./database.construct";
import { Queues } from "./queues.construct";
import { ServiceRoles } from "./service-roles.construct";
import type { SmartRecoverConfig } from "./stack-config";

export interface SmartRecoverStackProps extends StackProps {
  config: SmartRecoverConfig;
}

/**
 * Everything SmartRecover needs from AWS beside the EKS cluster: the queues, the database, the
 * application secrets, one IAM role per ServiceAccount and the queue alarms.
 */
export class SmartRecoverStack extends Stack {
  readonly queues: Queues;
  readonly database: Database;
  readonly roles: ServiceRoles;
  readonly alarms: QueueAlarms;

  constructor(scope: Construct, id: string, props: SmartRecoverStackProps) {
    super(scope, id, props);
    const { config } = props;
    const production = config.stage === "production";
    this.queues = new Queues(this, "Queues", config);
    const vpc = ec2.Vpc.fromVpcAttributes(this, "Vpc", {
      vpcId: config.vpcId,
      vpcCidrBlock: config.vpcCidrBlock,
      availabilityZones: config.availabilityZones,
      privateSubnetIds: config.privateSubnetIds,
    });
    this.database = new Database(this, "Database", { stage: config.stage, vpc, vpcCidrBlock: config.vpcCidrBlock });

    const generated = (id: string, name: string, description: string) =>
      new secretsmanager.Secret(this, id, {
        secretName: `smartrecover/${name}`,
        description,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
    const appSecrets = [
      generated("MessageSigningKey", "message-signing-key", "MESSAGE_SIGNING_KEY: HMAC key of queue messages"),
      generated("ConsoleSessionSecret", "console-session-secret", "CONSOLE_SESSION_SECRET of the console"),
      // A random stand-in until the identity provider's client secret is put here (README).
      generated("ConsoleOidcClientSecret", "console-oidc-client-secret", "OIDC_CLIENT_SECRET of the console"),
    ];
    const userSecrets = Object.values(this.database.userSecrets);
    // The services read these once at start-up (environment variables from Kubernetes Secrets): a
    // scheduled rotation would break running pods until something restarts them. Rotate by hand
    // with a rollout (deploy/README.md) until a reloader restarts pods on Secret changes.
    Validations.of(this).acknowledge({
      id: "AwsSolutions-SMG4",
      reason: "Rotation needs pods restarted on Secret changes; rotated by hand with a rollout for now",
    });

    this.roles = new ServiceRoles(this, "Roles", {
      ...config,
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      key: this.queues.key,
      secrets: [...userSecrets, ...appSecrets],
    });
    this.queues.restrictSendersTo([this.roles.riskService, this.roles.dlqRedrive]);
    this.alarms = new QueueAlarms(this, "Alarms", { ...this.queues, ...config });

    for (const [name, role] of Object.entries({
      RiskServiceRoleArn: this.roles.riskService,
      PartnerSyncRoleArn: this.roles.partnerSync,
      DlqRedriveRoleArn: this.roles.dlqRedrive,
      KedaOperatorRoleArn: this.roles.kedaOperator,
      SecretsReaderRoleArn: this.roles.secretsReader,
    })) {
      new CfnOutput(this, name, { value: role.roleArn });
    }
    new CfnOutput(this, "QueueUrl", { value: this.queues.queue.queueUrl });
    new CfnOutput(this, "DatabaseEndpoint", { value: this.database.instance.dbInstanceEndpointAddress });
  }
}
