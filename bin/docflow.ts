import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { docflowStacks } from '../lib/app';
import { stageConfig } from '../lib/config';

const app = new App();
const config = stageConfig((key) => app.node.tryGetContext(key));
// A production stage names its account and region (lib/config.ts refuses one that does not); other stages
// may follow the deploying credentials.
docflowStacks(app, config, {
  env: {
    account: config.account ?? (config.production ? undefined : process.env.CDK_DEFAULT_ACCOUNT),
    region: config.region ?? (config.production ? undefined : process.env.CDK_DEFAULT_REGION),
  },
});
// cdk-nag 3 runs as a policy-validation plugin: synth fails on any unacknowledged AwsSolutions error.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
