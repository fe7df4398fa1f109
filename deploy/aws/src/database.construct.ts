import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as kms from "aws-cdk-lib/aws-kms";
import * as rds from "aws-cdk-lib/aws-rds";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";

export interface DatabaseProps {
  stage: "production" | "staging";
  vpc: ec2.IVpc;
  vpcCidrBlock: string;
}

/**
 * Characters never put into a generated password: the URL-reserved and quoting ones, so a
 * password goes into a mysql:// URL (deploy/kubernetes/secrets) without escaping.
 */
export const PASSWORD_EXCLUDED_CHARACTERS = " %+~`#$&*()|[]{}:;<>?!'/@\"\\=,^.";

/** The database users and the secret (smartrecover/database/<name>) that holds each one's credentials. */
export const DATABASE_USERS = {
  "risk-service": "risk_service",
  "partner-sync": "partner_sync",
  console: "console",
  migrator: "smartrecover_migrator",
} as const;

/**
 * MySQL 8.4 on RDS in the VPC's private subnets: TLS required by the server itself, storage
 * encrypted with a customer-managed key, every password generated into Secrets Manager.
 * The users in DATABASE_USERS get their grants from a one-off SQL script (deploy/README.md):
 * DML only for the services, DDL for the migrator.
 */
export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly userSecrets: Record<keyof typeof DATABASE_USERS, secretsmanager.ISecret>;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const production = props.stage === "production";
    const engine = rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_4_7 });
    const securityGroup = new ec2.SecurityGroup(this, "SecurityGroup", {
      vpc: props.vpc,
      description: "SmartRecover MySQL: port 3306 from the VPC of the cluster only",
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(ec2.Peer.ipv4(props.vpcCidrBlock), ec2.Port.tcp(3306), "MySQL from the VPC");
    const parameterGroup = new rds.ParameterGroup(this, "Parameters", {
      engine,
      description: "SmartRecover: TLS required for every connection",
      parameters: { require_secure_transport: "ON" },
    });
    const storageKey = new kms.Key(this, "StorageKey", {
      alias: `alias/smartrecover-${props.stage}-database`,
      description: "Encrypts SmartRecover's database storage, snapshots and backups",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.instance = new rds.DatabaseInstance(this, "Instance", {
      engine,
      instanceType: production
        ? ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE)
        : ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      publiclyAccessible: false,
      parameterGroup,
      credentials: rds.Credentials.fromGeneratedSecret("smartrecover_admin", {
        secretName: "smartrecover/database/admin",
        excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
      }),
      storageEncrypted: true,
      storageEncryptionKey: storageKey,
      storageType: rds.StorageType.GP3,
      allocatedStorage: 50,
      maxAllocatedStorage: 500,
      multiAz: production,
      deletionProtection: production,
      removalPolicy: production ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      backupRetention: Duration.days(production ? 14 : 3),
      autoMinorVersionUpgrade: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      cloudwatchLogsExports: ["error", "slowquery"],
    });
    const userSecret = (name: keyof typeof DATABASE_USERS) =>
      new rds.DatabaseSecret(this, `${name}-user`, {
        username: DATABASE_USERS[name],
        secretName: `smartrecover/database/${name}`,
        masterSecret: this.instance.secret,
        excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
      }).attach(this.instance);
    Validations.of(this.instance).acknowledge({
      id: "AwsSolutions-RDS11",
      reason:
        "A non-default port hides nothing: the security group and the NetworkPolicies admit 3306 from the VPC only",
    });
    if (!production) {
      for (const id of ["AwsSolutions-RDS3", "AwsSolutions-RDS10"]) {
        Validations.of(this.instance).acknowledge({
          id,
          reason: "Staging is rebuilt from migrations and test data: one zone, and deletable",
        });
      }
    }
    this.userSecrets = {
      "risk-service": userSecret("risk-service"),
      "partner-sync": userSecret("partner-sync"),
      console: userSecret("console"),
      migrator: userSecret("migrator"),
    };
  }
}
