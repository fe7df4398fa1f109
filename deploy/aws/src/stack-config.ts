/**
 * What the stack needs to know about the account it lands in. Nothing here is created by the
 * stack: the VPC and the EKS cluster (with its IAM OIDC provider) already exist.
 */
export interface SmartRecoverConfig {
  stage: "production" | "staging";
  /** ARN of the EKS cluster's IAM OIDC provider: arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>. */
  oidcProviderArn: string;
  vpcId: string;
  vpcCidrBlock: string;
  availabilityZones: string[];
  /** The private subnets the database goes into, one per availability zone above. */
  privateSubnetIds: string[];
  /** Kubernetes namespace of the workloads (the overlay's `namespace`). */
  namespace: string;
  /** Where KEDA's operator runs; it reads the queue depth with its own role. */
  kedaNamespace: string;
  kedaServiceAccount: string;
  queueName: string;
  deadLetterQueueName: string;
  /** An SNS topic for the alarms; none means the alarms only change state. */
  alarmTopicArn?: string;
}

export const SERVICE_ACCOUNTS = {
  riskService: "risk-service",
  partnerSync: "partner-sync",
  dlqRedrive: "dlq-redrive",
  secretsReader: "smartrecover-secrets",
} as const;

const REQUIRED = [
  "stage",
  "oidcProviderArn",
  "vpcId",
  "vpcCidrBlock",
  "availabilityZones",
  "privateSubnetIds",
] as const;
const OIDC_PROVIDER_ARN =
  /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/(oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/[A-Za-z0-9]+)$/;

export class ConfigError extends Error {}

/** The issuer host and path the provider's tokens carry, which IAM condition keys are named after. */
export function oidcIssuerOf(providerArn: string): string {
  const issuer = OIDC_PROVIDER_ARN.exec(providerArn)?.[1];
  if (!issuer) throw new ConfigError(`oidcProviderArn is not an EKS OIDC provider ARN: ${providerArn}`);
  return issuer;
}

const list = (value: unknown) =>
  Array.isArray(value)
    ? value.map(String)
    : String(value)
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);

/** Reads `cdk --context key=value` (or cdk.json's context) into a checked config; names every missing or bad key. */
export function configFromContext(get: (key: string) => unknown): SmartRecoverConfig {
  const missing = REQUIRED.filter((key) => get(key) === undefined || get(key) === "");
  if (missing.length > 0) {
    throw new ConfigError(`missing context: ${missing.join(", ")} (pass each with --context key=value)`);
  }
  const stage = String(get("stage"));
  if (stage !== "production" && stage !== "staging") {
    throw new ConfigError(`stage must be production or staging, not ${stage}`);
  }
  const config: SmartRecoverConfig = {
    stage,
    oidcProviderArn: String(get("oidcProviderArn")),
    vpcId: String(get("vpcId")),
    vpcCidrBlock: String(get("vpcCidrBlock")),
    availabilityZones: list(get("availabilityZones")),
    privateSubnetIds: list(get("privateSubnetIds")),
    namespace: String(get("namespace") ?? (stage === "production" ? "smartrecover" : "smartrecover-staging")),
    kedaNamespace: String(get("kedaNamespace") ?? "keda"),
    kedaServiceAccount: String(get("kedaServiceAccount") ?? "keda-operator"),
    queueName: String(get("queueName") ?? "high-priority-debtors"),
    deadLetterQueueName: String(get("deadLetterQueueName") ?? "high-priority-debtors-dlq"),
  };
  const topic = get("alarmTopicArn");
  if (topic) config.alarmTopicArn = String(topic);
  oidcIssuerOf(config.oidcProviderArn);
  if (config.privateSubnetIds.length !== config.availabilityZones.length) {
    throw new ConfigError("privateSubnetIds and availabilityZones must list one subnet per zone");
  }
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(config.vpcCidrBlock)) {
    throw new ConfigError(`vpcCidrBlock is not an IPv4 CIDR: ${config.vpcCidrBlock}`);
  }
  return config;
}
