import type { App } from 'aws-cdk-lib';
import type { StageConfig } from './config';
import { DocflowStack, type FunctionCatalogue } from './docflow-stack';
import { DocflowRecoveryStack } from './recovery-stack';

export interface DocflowStacks {
  readonly main: DocflowStack;
  /** In the second region (or account), when the stage has a drRegion. */
  readonly recovery: DocflowRecoveryStack | undefined;
}

export interface DocflowStacksOptions {
  /** The main stack's account and region; the recovery stack takes drAccount (or this account) and drRegion. */
  readonly env: { readonly account?: string; readonly region?: string };
  readonly catalogue?: FunctionCatalogue;
  readonly webAssetsPath?: string;
}

/**
 * The stacks of one stage, as `cdk synth` and `cdk deploy --all` see them (bin/docflow.ts) and as the CDK
 * tests synthesize them: `Docflow-<stage>`, and `Docflow-<stage>-recovery` deployed before it.
 */
export function docflowStacks(app: App, config: StageConfig, options: DocflowStacksOptions): DocflowStacks {
  const description = (what: string) => `docflow (${config.stage}): ${what}`;
  const recovery = config.drRegion
    ? new DocflowRecoveryStack(app, `Docflow-${config.stage}-recovery`, {
        config,
        sourceAccount: options.env.account,
        env: { account: config.drAccount ?? options.env.account, region: config.drRegion },
        description: description('archive replica and backup copies, in a second region'),
        terminationProtection: config.production,
      })
    : undefined;
  const main = new DocflowStack(app, `Docflow-${config.stage}`, {
    config,
    env: options.env,
    catalogue: options.catalogue,
    webAssetsPath: options.webAssetsPath,
    description: description('e-signing and circulation of official documents'),
    terminationProtection: config.production,
  });
  // The replica bucket and the copy vault must exist before the archive replicates and backups copy to them.
  if (recovery) main.addStackDependency(recovery);
  return { main, recovery };
}
