import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  DockerImageCode,
  DockerImageFunction,
  type Function as LambdaFunction,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { LAMBDA_BUNDLE, LAMBDA_ESBUILD_OPTIONS } from '../bundling';
import { LAMBDA_RUNTIME } from '../config';

/** The repository root: handler entries in lambdas/routes.ts are relative to it, wherever cdk runs from. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** Bundling hooks that copy repository directories into the function's asset, after esbuild ran. */
function copyAssets(dirs: readonly string[]): ICommandHooks {
  for (const dir of dirs) {
    if (isAbsolute(dir) || normalize(dir).startsWith('..'))
      throw new Error(`asset directory ${dir} must be inside the repository`);
  }
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      dirs.map((dir) => {
        const to = join(outputDir, dir);
        return `mkdir -p "${dirname(to)}" && cp -R "${join(REPO_ROOT, dir)}" "${to}"`;
      }),
  };
}

export interface DocflowFunctionProps {
  /** Handler module, relative to the repository root (as in lambdas/routes.ts). */
  readonly entry: string;
  readonly description: string;
  /** A fixed role name, for a role that key policies name (default: CloudFormation's generated one). */
  readonly roleName?: string;
  readonly stage: string;
  readonly logRetention: RetentionDays;
  /** Extra environment; resource names are added by the grants that give access to them. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Reserved concurrency: a ceiling (and a floor) on simultaneous invocations. */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Repository directories the handler reads at run time (e.g. `assets/fonts`), copied beside the bundle
   * under the same relative path: `/var/task/assets/fonts` next to `/var/task/index.mjs`.
   */
  readonly assets?: readonly string[];
  /** Packages not bundled (e.g. one that starts a worker from its own files): `assets` copies them. */
  readonly external?: readonly string[];
  /**
   * A container image instead of a zip on the Node runtime, for a function that needs programs the runtime
   * lacks (LibreOffice): the Dockerfile (relative to the repository root) is built with the handler's
   * bundle, `index.mjs`, beside it in its context.
   */
  readonly image?: { readonly dockerfile: string; readonly memorySize?: number };
}

/**
 * The build context of an image function: its Dockerfile and the handler bundled with LAMBDA_BUNDLE (the AWS
 * SDK included: no runtime ships it in a custom image). Not bundled when the synth skips bundling (tests).
 */
function imageContext(scope: Construct, entry: string, dockerfile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'docflow-image-'));
  copyFileSync(join(REPO_ROOT, dockerfile), join(dir, 'Dockerfile'));
  if (Stack.of(scope).bundlingRequired) {
    buildSync({
      ...LAMBDA_ESBUILD_OPTIONS,
      external: [],
      entryPoints: [resolve(REPO_ROOT, entry)],
      outfile: join(dir, 'index.mjs'),
      sourcemap: LAMBDA_BUNDLE.sourcemap,
      sourcesContent: LAMBDA_BUNDLE.sourcesContent,
      logLevel: 'error',
    });
  }
  return dir;
}

/**
 * One docflow Lambda function with the project's defaults baked in: Node 24 on arm64, an ESM bundle built
 * by esbuild with source maps, active tracing, Powertools configured by environment, its own log group
 * with a set retention, and its own role that starts with nothing but writing to that log group.
 */
export class DocflowFunction extends Construct {
  readonly handler: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  private readonly wildcards = new Map<string, string[]>();

  constructor(scope: Construct, id: string, props: DocflowFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Logs are evidence of who did what to official documents: they outlive a stack deletion.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: that managed policy may create and write
    // any log group in the account; this one writes to its own log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      roleName: props.roleName,
      description: `docflow ${props.stage}: ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    const environment = {
      DOCFLOW_STAGE: props.stage,
      POWERTOOLS_SERVICE_NAME: 'docflow',
      POWERTOOLS_METRICS_NAMESPACE: 'docflow',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      // Events carry JWT claims and document metadata, responses personal data: neither goes into
      // logs or traces, whose retention and readers differ from the tables'.
      POWERTOOLS_LOGGER_LOG_EVENT: 'false',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      NODE_OPTIONS: '--enable-source-maps',
      ...props.environment,
    };
    this.handler = props.image
      ? new DockerImageFunction(this, 'Function', {
          code: DockerImageCode.fromImageAsset(imageContext(this, props.entry, props.image.dockerfile)),
          description: props.description,
          architecture: Architecture.ARM_64,
          memorySize: props.image.memorySize ?? props.memorySize ?? 2048,
          timeout: props.timeout ?? Duration.seconds(29),
          reservedConcurrentExecutions: props.reservedConcurrentExecutions,
          tracing: Tracing.ACTIVE,
          role: this.role,
          logGroup: this.logGroup,
          environment,
        })
      : this.nodeFunction(props, environment);
    // Tracing.ACTIVE adds xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resources.
    this.allowWildcard(
      'Resource::*',
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level scoping',
    );
  }

  private nodeFunction(props: DocflowFunctionProps, environment: Record<string, string>): NodejsFunction {
    return new NodejsFunction(this, 'Function', {
      entry: resolve(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      // Memory buys CPU: RSA, hashing and PDF parsing are CPU-bound.
      memorySize: props.memorySize ?? 1024,
      // Just under the HTTP API's 30 s integration timeout, so the function, not the gateway, times out.
      timeout: props.timeout ?? Duration.seconds(29),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment,
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourcemap,
        sourcesContent: LAMBDA_BUNDLE.sourcesContent,
        // NodejsFunction accepts `charset` but (aws-cdk-lib 2.x, as installed) never passes it to esbuild:
        // say it directly, or every Vietnamese message is \u-escaped and the bundle grows.
        esbuildArgs: {
          '--charset': LAMBDA_BUNDLE.charset,
          ...Object.fromEntries(
            Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => [`--alias:${from}`, to]),
          ),
        },
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        externalModules: [...LAMBDA_BUNDLE.external, ...(props.external ?? [])],
        banner: LAMBDA_BUNDLE.banner,
        ...(props.assets?.length ? { commandHooks: copyAssets(props.assets) } : {}),
      },
    });
  }

  /**
   * Records why a wildcard in this function's policy is needed and acknowledges the cdk-nag finding
   * (AwsSolutions-IAM5[<finding>]) with every reason given for it. The reasons also document the policy.
   */
  allowWildcard(finding: string, reason: string): void {
    const reasons = this.wildcards.get(finding) ?? [];
    if (reasons.includes(reason)) return;
    reasons.push(reason);
    this.wildcards.set(finding, reasons);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[${finding}]`,
      reason: reasons.join('; '),
    });
  }

  addEnvironment(environment: Readonly<Record<string, string>>): void {
    for (const [key, value] of Object.entries(environment)) this.handler.addEnvironment(key, value);
  }
}
