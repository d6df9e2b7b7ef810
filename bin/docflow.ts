import { App } from 'aws-cdk-lib';
import { stageConfig } from '../lib/config';
import { DocflowStack } from '../lib/docflow-stack';

const app = new App();
const config = stageConfig((key) => app.node.tryGetContext(key));
new DocflowStack(app, `Docflow-${config.stage}`, {
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: 'docflow: e-signing and circulation of official documents',
});
