// The CDK app, synthesised offline once per stage: the first synthesis loads most of aws-cdk-lib,
// so every assertion on the stack runs in this one file (the checks live in *.checks.ts).
import { App, Stack } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { checkDatabase } from "./aws-database.checks";
import { checkQueuesAndRoles } from "./aws-queues-roles.checks";
import { synthesise } from "./support/cdk-template";

const production = synthesise("production");
const staging = synthesise("staging");

checkQueuesAndRoles(production.template);
checkDatabase(production.template, staging.template);

describe("cdk-nag's AWS Solutions rules", () => {
  const findings = (stack: Stack) =>
    new AwsSolutionsChecks(stack.node.root).validateScope(stack).violations.map((violation) => violation.ruleName);

  it.each([
    ["production", production.stack],
    ["staging", staging.stack],
  ])("when they check the %s stack, then they find nothing that is not acknowledged with a reason", (_stage, stack) => {
    expect(findings(stack)).toEqual([]);
  });

  it("when they check a queue without encryption, TLS or a dead-letter queue, then they report it", () => {
    const stack = new Stack(new App(), "Careless");
    new sqs.Queue(stack, "Queue", { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(findings(stack)).toEqual(expect.arrayContaining(["AwsSolutions-SQS3", "AwsSolutions-SQS4"]));
  });
});
