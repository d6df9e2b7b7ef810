import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { functions, internalFunctions } from '../../lambdas/routes';
import { docflowStacks } from '../../lib/app';
import { type StageConfig, stageConfig } from '../../lib/config';
import { REPO_ROOT } from '../../lib/constructs/docflow-function';
import type { DocflowStack, FunctionCatalogue } from '../../lib/docflow-stack';
import type { DocflowRecoveryStack } from '../../lib/recovery-stack';
import { streamConsumers } from '../../lib/stream-consumers';

/** A pinned account and region: the template is what `cdk synth` would produce for a real environment. */
export const ENV = { account: '111111111111', region: 'ap-southeast-1' } as const;

/** Everything a production stage must set (lib/config.ts), as `-c` values. */
export const PROD_CONTEXT = {
  stage: 'prod',
  account: ENV.account,
  region: ENV.region,
  drRegion: 'ap-southeast-2',
  webDomainName: 'docflow.hanoi.gov.vn',
  webCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012',
  apiDomainName: 'api.docflow.hanoi.gov.vn',
  apiCertificateArn:
    'arn:aws:acm:ap-southeast-1:111111111111:certificate/12345678-1234-1234-1234-123456789012',
  sesFromAddress: 'vanban@hanoi.gov.vn',
  alarmEmail: 'ops@hanoi.gov.vn',
} as const;

/** An empty built web inbox, so a stack deploys it (BucketDeployment and its custom resource). */
export function webDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docflow-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>docflow</title>');
  return dir;
}

const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: object }
).context;

/**
 * An app with cdk.json's context (the feature flags the CLI would pass), extra context, and no bundling:
 * template tests never run esbuild.
 */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({
    outdir: mkdtempSync(join(tmpdir(), 'docflow-cdk-')),
    context: { ...CDK_JSON_CONTEXT, ...context, 'aws:cdk:bundling-stacks': [] },
  });
}

export interface StackOptions {
  readonly context?: Record<string, unknown>;
  readonly catalogue?: FunctionCatalogue;
  /** Default: a directory that does not exist, so no web deployment unless a test asks for one. */
  readonly webAssetsPath?: string;
  /** Run cdk-nag's AwsSolutions checks at synth. */
  readonly nag?: boolean;
  /** Default: a fixed account and region. `cdk synth` without credentials knows neither account nor region. */
  readonly env?: { readonly account?: string; readonly region?: string };
}

/** The stage configuration a test app resolves (cdk.json's stage blocks, then the given context). */
export function configOf(context: Record<string, unknown> = {}): StageConfig {
  const app = testApp(context);
  return stageConfig((key) => app.node.tryGetContext(key));
}

/** The stage's stacks as bin/docflow.ts makes them (lib/app.ts), with the test's account and region. */
export function docflowStack(options: StackOptions = {}): {
  app: App;
  stack: DocflowStack;
  recovery: DocflowRecoveryStack | undefined;
} {
  const app = testApp(options.context);
  const config = stageConfig((key) => app.node.tryGetContext(key));
  const { main, recovery } = docflowStacks(app, config, {
    env: options.env ?? ENV,
    catalogue: options.catalogue,
    webAssetsPath: options.webAssetsPath ?? join(tmpdir(), 'docflow-no-web-dist'),
  });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack: main, recovery };
}

/** A stage's recovery stack (it needs a drRegion in the context). */
export function recoveryTemplate(options: StackOptions = {}): Template {
  const { recovery } = docflowStack(options);
  if (!recovery) throw new Error('no recovery stack: the context has no drRegion');
  return Template.fromStack(recovery);
}

export function template(options: StackOptions = {}): Template {
  return Template.fromStack(docflowStack(options).stack);
}

export interface NagFinding {
  readonly rule: string;
  readonly severity: string;
  readonly paths: readonly string[];
}

/**
 * Synthesizes an app that has cdk-nag's plugin and returns every unacknowledged AwsSolutions finding,
 * errors and warnings alike. (cdk-nag 3 reports through CDK's policy validation, not annotations: synth
 * throws on errors and writes validation-report.json either way.)
 */
export function nagFindings(app: App): NagFinding[] {
  let failure: unknown;
  try {
    app.synth();
  } catch (error) {
    failure = error;
  }
  let report: { pluginReports: { pluginName: string; violations: ReportViolation[] }[] };
  try {
    report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
  } catch {
    // No report at all means synth failed before validation: that is a failure of its own.
    throw failure ?? new Error('synth wrote no validation report');
  }
  return report.pluginReports
    .filter((plugin) => plugin.pluginName === 'AwsSolutions')
    .flatMap((plugin) => plugin.violations)
    .map((v) => ({
      rule: v.ruleName,
      severity: v.severity,
      paths: v.violatingConstructs.map((c) => c.constructPath),
    }));
}

interface ReportViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}

/** Resources of one type, by logical id. */
export function resources(t: Template, type: string): [string, CfnResource][] {
  return Object.entries(t.findResources(type) as Record<string, CfnResource>);
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown> & { readonly [key: string]: unknown };
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The statements of the IAM policies attached to a function's role (the role's logical id prefix). */
export function roleStatements(t: Template, functionId: string): Statement[] {
  const roles = resources(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith(`${functionId}Role`));
  if (roles.length !== 1) throw new Error(`expected one role for ${functionId}, found ${roles.length}`);
  const [roleId] = roles[0] as [string, CfnResource];
  return resources(t, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** The AWS::Lambda::Function of a DocflowFunction construct (`<id>/Function` gets the logical id `<id>XXXXXXXX`). */
export function lambdaOf(t: Template, functionId: string): CfnResource {
  const found = resources(t, 'AWS::Lambda::Function').filter(([id]) =>
    new RegExp(`^${functionId}[0-9A-F]{8}$`).test(id),
  );
  if (found.length !== 1) throw new Error(`expected one function ${functionId}, found ${found.length}`);
  return (found[0] as [string, CfnResource])[1];
}

export function environmentOf(t: Template, functionId: string): Record<string, unknown> {
  return (lambdaOf(t, functionId).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** Every function the stack deploys: the API's (lambdas/routes.ts) and the stream consumers. */
export const deployedFunctions: Readonly<
  Record<string, { readonly entry: string; readonly description: string }>
> = { ...functions, ...internalFunctions, ...streamConsumers };

/** The construct id (and logical-id prefix) of a deployed function. */
export const functionId = (name: string) => `${name[0]?.toUpperCase()}${name.slice(1)}Function`;
