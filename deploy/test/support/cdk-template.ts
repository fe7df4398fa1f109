import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { buildApp } from "../../aws/src/app";
import type { SmartRecoverStack } from "../../aws/src/smartrecover-stack";

export const OIDC_PROVIDER_ARN =
  "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
export const OIDC_ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
export const PRIVATE_SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
export const VPC_CIDR = "10.20.0.0/16";

export const context = (stage: string) => ({
  stage,
  oidcProviderArn: OIDC_PROVIDER_ARN,
  vpcId: "vpc-0123456789abcdef0",
  vpcCidrBlock: VPC_CIDR,
  availabilityZones: "us-east-1a,us-east-1b,us-east-1c",
  privateSubnetIds: PRIVATE_SUBNETS.join(","),
  // CloudFormation's own checks of the synthesised template fail the synthesis instead of warning.
  "@aws-cdk/core:validateAgainstDefaultRules": true,
});

/** The stack of one stage, synthesised offline the way `cdk synth --context …` would. */
export function synthesise(stage: "production" | "staging"): { template: Template; stack: SmartRecoverStack } {
  const stack = buildApp(new App({ context: context(stage) }));
  return { template: Template.fromStack(stack), stack };
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

export const resourcesOf = (template: Template): Record<string, Resource> =>
  (template.toJSON() as { Resources: Record<string, Resource> }).Resources;

/** The logical id behind a reference ({Ref}, {Fn::GetAtt}) or the literal itself. */
export function refTarget(value: unknown): string {
  if (typeof value === "string") return value;
  const object = value as { Ref?: string; "Fn::GetAtt"?: [string, string] };
  return object.Ref ?? object["Fn::GetAtt"]?.[0] ?? JSON.stringify(value);
}

export function logicalIdOf(template: Template, type: string, property: string, value: string): string {
  const found = Object.entries(resourcesOf(template)).filter(
    ([, resource]) => resource.Type === type && resource.Properties?.[property] === value,
  );
  if (found.length !== 1) throw new Error(`expected one ${type} with ${property}=${value}, found ${found.length}`);
  return found[0]?.[0] ?? "";
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every (action, resource) an IAM role's identity policies allow, resources named by logical id. */
export function grantsOf(template: Template, roleLogicalId: string): Set<string> {
  const grants = new Set<string>();
  for (const resource of Object.values(resourcesOf(template))) {
    if (resource.Type !== "AWS::IAM::Policy") continue;
    const roles = ((resource.Properties?.Roles as unknown[] | undefined) ?? []).map(refTarget);
    if (!roles.includes(roleLogicalId)) continue;
    const document = resource.Properties?.PolicyDocument as { Statement: Statement[] };
    for (const statement of document.Statement) {
      if (statement.Effect !== "Allow") continue;
      const actions = [statement.Action].flat();
      const resources = [statement.Resource].flat().map(refTarget);
      for (const action of actions) for (const target of resources) grants.add(`${action} ${target}`);
    }
  }
  return grants;
}
