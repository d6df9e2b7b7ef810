import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from '../lib/config';
import { DocflowStack } from '../lib/docflow-stack';

const app = new App();
const config = stageConfig((key) => app.node.tryGetContext(key));
new DocflowStack(app, `Docflow-${config.stage}`, {
  config,
  env: {
    account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: config.region ?? process.env.CDK_DEFAULT_REGION,
  },
  description: `docflow (${config.stage}): e-signing and circulation of official documents`,
  terminationProtection: config.stage === 'prod',
});
// cdk-nag 3 runs as a policy-validation plugin: synth fails on any unacknowledged AwsSolutions error.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
