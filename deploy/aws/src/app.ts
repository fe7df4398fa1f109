// The CDK app: `npx aws-cdk synth|deploy --context stage=production --context oidcProviderArn=… …`
// from deploy/aws (cdk.json runs this file); deploy/README.md lists the context keys.
import { pathToFileURL } from "node:url";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { SmartRecoverStack } from "./smartrecover-stack";
import { configFromContext } from "./stack-config";

export function buildApp(app = new App()): SmartRecoverStack {
  const config = configFromContext((key) => app.node.tryGetContext(key));
  // cdk-nag's AWS Solutions rules run at every synthesis and stop it on a finding.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return new SmartRecoverStack(app, `SmartRecover-${config.stage}`, {
    config,
    description: `SmartRecover ${config.stage}: SQS queues, MySQL, secrets and IRSA roles`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = new App();
  buildApp(app);
  app.synth();
}
