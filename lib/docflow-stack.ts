import { join } from 'node:path';
import {
  Annotations,
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Tags,
} from 'aws-cdk-lib';
import { BackupVault } from 'aws-cdk-lib/aws-backup';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { HttpMethods } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { functionRoleName } from '../lambdas/deployment/key-policy';
import { functions, internalFunctions, routes } from '../lambdas/routes';
import { type StageConfig, signingConcurrencyFor, tsaKeySpecOf } from './config';
import { type ApiRoute, DocflowApi } from './constructs/api';
import { ArchiveReplication } from './constructs/archive-replication';
import { ClockSchedules } from './constructs/clock-schedules';
import { DataStore } from './constructs/data-store';
import { DocflowFunction, REPO_ROOT } from './constructs/docflow-function';
import { DocumentBuckets } from './constructs/document-buckets';
import { LiveInbox } from './constructs/live-inbox';
import { LogBuckets } from './constructs/log-buckets';
import { Monitoring } from './constructs/monitoring';
import { SignerSession } from './constructs/signer-session';
import { SigningKeys } from './constructs/signing-keys';
import { StreamProjection } from './constructs/stream-projection';
import { TableBackups } from './constructs/table-backups';
import { Users } from './constructs/users';
import { Web } from './constructs/web';
import { ResourceAccess } from './grants';
import { protectKey } from './key-protection';
import { type FunctionPermissions, type PermissionMap, permissions } from './permissions';
import { REPLICATION_RULE_ID, type RecoveryTarget, recoveryNames } from './recovery';
import { type ClockScheduleSpec, clockSchedules, type ScheduleSpec, schedules } from './schedules';
import { type StreamConsumerSpec, streamConsumers } from './stream-consumers';

/**
 * The functions, their routes and their permissions: lambdas/routes.ts, lib/stream-consumers.ts and
 * lib/permissions.ts.
 */
/** A function as lambdas/routes.ts describes it. */
export interface FunctionSpec {
  readonly entry: string;
  readonly description: string;
  /** Repository directories the handler reads at run time, copied beside its bundle. */
  readonly assets?: readonly string[];
  /** A container image built from this Dockerfile instead of a zip (DocflowFunctionProps.image). */
  readonly image?: { readonly dockerfile: string; readonly memorySize?: number };
  /** Packages left out of the bundle (their files then copied beside it through `assets`). */
  readonly external?: readonly string[];
  /** Longer than the default (29 s; 20 s for invoked functions), for work no caller waits on. */
  readonly timeoutSeconds?: number;
}

export interface FunctionCatalogue {
  readonly functions: Readonly<Record<string, FunctionSpec>>;
  readonly routes: readonly ApiRoute[];
  readonly streamConsumers?: Readonly<Record<string, StreamConsumerSpec>>;
  /** Functions that other functions invoke, without a route. */
  readonly internalFunctions?: Readonly<Record<string, FunctionSpec>>;
  readonly permissions: PermissionMap;
  /** Invocations on a timer (lib/schedules.ts). */
  readonly schedules?: Readonly<Record<string, ScheduleSpec>>;
  /** Runs as of a time, on EventBridge Scheduler (lib/schedules.ts `clockSchedules`). */
  readonly clockSchedules?: Readonly<Record<string, ClockScheduleSpec>>;
}

export const DEFAULT_CATALOGUE: FunctionCatalogue = {
  functions,
  routes,
  streamConsumers,
  internalFunctions,
  permissions,
  schedules,
  clockSchedules,
};

export interface DocflowStackProps extends StackProps {
  readonly config: StageConfig;
  /**
   * Where the archive is replicated and table backups copied (the recovery stack, lib/recovery-stack.ts).
   * Default: the stage's drRegion and drAccount, if set.
   */
  readonly recovery?: RecoveryTarget;
  /** Default: the route table and permission map of the repository. */
  readonly catalogue?: FunctionCatalogue;
  /** The built web inbox. Default: `web/dist`, deployed only if it exists. */
  readonly webAssetsPath?: string;
}

/** A function whose role the policies of run-time seal and official keys name (key-policy.ts). */
const namedInKeyPolicies = (granted: FunctionPermissions | undefined): boolean =>
  Boolean(
    granted?.provisionKeys ||
      granted?.publicKeysOf?.includes('seal') ||
      granted?.publicKeysOf?.includes('official'),
  );

const pascal = (name: string) => name.replace(/(^|[-_])([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** Everything the local stack emulates, deployed: tables, buckets, keys, functions, API, users and web. */
export class DocflowStack extends Stack {
  readonly functions: Readonly<Record<string, DocflowFunction>>;
  /** Tables (and their backups by point-in-time recovery), intake and PKI buckets. */
  readonly dataKey: Key;
  /** The archive alone: signed originals under Object Lock. */
  readonly archiveKey: Key;
  readonly backups: TableBackups;
  readonly replication: ArchiveReplication | undefined;
  readonly signingKeys: SigningKeys;
  readonly store: DataStore;
  readonly files: DocumentBuckets;
  readonly users: Users;
  readonly api: DocflowApi;
  readonly web: Web;
  readonly monitoring: Monitoring;
  readonly signerSession: SignerSession;

  constructor(scope: Construct, id: string, props: DocflowStackProps) {
    super(scope, id, props);
    const { config } = props;
    const catalogue = props.catalogue ?? DEFAULT_CATALOGUE;
    Tags.of(this).add('docflow:stage', config.stage);

    // Two data keys: whatever happens to the tables' key (a rotation policy, an incident), the archive's
    // ten years of signed originals depend on a key of their own. Both are kept forever, rotate yearly,
    // and cannot be disabled, deleted or re-policed but by the break-glass role (lib/key-protection.ts).
    const guard = { breakGlassRoleName: config.breakGlassRoleName };
    this.dataKey = new Key(this, 'DataKey', {
      description: `docflow ${config.stage}: tables, intake and PKI buckets`,
      alias: `alias/docflow/${config.stage}/data`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    protectKey(this.dataKey, guard);
    this.archiveKey = new Key(this, 'ArchiveKey', {
      description: `docflow ${config.stage}: the archive (signed originals under Object Lock)`,
      alias: `alias/docflow/${config.stage}/archive`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    protectKey(this.archiveKey, guard);
    // Webhook signing secrets (issue 16), sealed with KMS Encrypt by the webhooks function and opened by
    // the sender only, each under its subscription's encryption context.
    const webhookKey = new Key(this, 'WebhookKey', {
      description: `docflow ${config.stage}: webhook signing secrets`,
      alias: `alias/docflow/${config.stage}/webhooks`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    protectKey(webhookKey, guard);
    const logBuckets = new LogBuckets(this, 'Logs', { retentionDays: config.accessLogRetentionDays });
    this.store = new DataStore(this, 'Data', { encryptionKey: this.dataKey });
    const bucketKeys = { intake: this.dataKey, archive: this.archiveKey, pki: this.dataKey };
    this.files = new DocumentBuckets(this, 'Files', {
      stage: config.stage,
      keys: bucketKeys,
      archiveRetentionYears: config.archiveRetentionYears,
      accessLogs: logBuckets.serverAccessLogs,
    });
    const recovery =
      props.recovery ??
      (config.drRegion ? { account: config.drAccount ?? this.account, region: config.drRegion } : undefined);
    const recoveryTargets = recovery && recoveryNames(config.stage, recovery);
    this.signingKeys = new SigningKeys(this, 'SigningKeys', {
      stage: config.stage,
      keySpec: config.keySpec,
      tsaKeySpec: tsaKeySpecOf(config),
      guard,
    });
    this.users = new Users(this, 'Users', {
      stage: config.stage,
      plan: config.userPoolPlan,
      domainPrefix: config.authDomainPrefix ?? `docflow-${config.stage}-${Aws.ACCOUNT_ID}`,
      email: config.sesFromAddress
        ? {
            fromAddress: config.sesFromAddress,
            fromName: config.sesFromName,
            verifiedDomain: config.sesVerifiedDomain,
            region: config.sesRegion ?? config.region,
          }
        : undefined,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: config.stage,
      alarmEmail: config.alarmEmail,
    });
    this.monitoring.watchKeyEvents();
    this.monitoring.watchBackupJobs();

    this.backups = new TableBackups(this, 'Backups', {
      stage: config.stage,
      tables: Object.values(this.store.tables),
      guard,
      lock: config.backupVaultLock,
      dailyRetentionDays: config.backupRetentionDays,
      monthlyRetentionYears: config.archiveRetentionYears,
      copyTo:
        recovery && recoveryTargets
          ? BackupVault.fromBackupVaultArn(
              this,
              'BackupCopyVault',
              `arn:${Aws.PARTITION}:backup:${recovery.region}:${recovery.account}:backup-vault:${recoveryTargets.copyVault}`,
            )
          : undefined,
    });
    this.replication =
      recovery && recoveryTargets
        ? new ArchiveReplication(this, 'ArchiveReplication', {
            stage: config.stage,
            archive: this.files.buckets.archive,
            archiveKey: this.archiveKey,
            target: recovery,
            names: recoveryTargets,
          })
        : undefined;
    if (recoveryTargets) {
      this.monitoring.watchReplication(
        this.files.browserFacingBucketNames.archive,
        recoveryTargets.replicaBucket,
        REPLICATION_RULE_ID,
      );
    } else {
      Annotations.of(this).addWarningV2(
        'docflow:no-recovery-region',
        'no drRegion: the archive is not replicated and table backups stay in this region',
      );
    }

    const access = new ResourceAccess({
      tables: this.store.tables,
      buckets: this.files.buckets,
      tableKey: this.dataKey,
      bucketKeys,
      signingKeys: this.signingKeys,
      webhookKey,
      stage: config.stage,
      breakGlassRoleName: config.breakGlassRoleName,
    });
    // The function that makes documents' signatures (through the signer, with seal and official keys, and
    // the TSA's) gets a reserved concurrency that keeps its KMS requests within their share of the
    // account's quota: beyond it every signature would wait on throttling, the CA's included.
    const signsDocuments = (name: string) => (catalogue.permissions[name]?.invoke ?? []).includes('signer');
    const signingConcurrency =
      config.signingReservedConcurrency ?? signingConcurrencyFor(config.kmsSignRequestsPerSecond);
    const created: Record<string, DocflowFunction> = {};
    const deploy = (name: string, spec: FunctionSpec, timeout?: Duration) => {
      const fn = new DocflowFunction(this, `${pascal(name)}Function`, {
        entry: spec.entry,
        description: spec.description,
        assets: spec.assets,
        external: spec.external,
        image: spec.image,
        stage: config.stage,
        logRetention: config.logRetentionDays,
        timeout: spec.timeoutSeconds ? Duration.seconds(spec.timeoutSeconds) : timeout,
        reservedConcurrentExecutions: signsDocuments(name) ? signingConcurrency : undefined,
        // Run-time seal and official key policies name these roles: a fixed name survives replacement.
        roleName: namedInKeyPolicies(catalogue.permissions[name])
          ? functionRoleName(config.stage, name)
          : undefined,
      });
      const granted = catalogue.permissions[name];
      if (!granted) {
        Annotations.of(fn).addWarningV2(
          'docflow:no-permissions',
          `function ${name} has no entry in lib/permissions.ts: it gets no data permissions`,
        );
      }
      access.grant(fn, granted, created);
      this.monitoring.watchFunction(name, fn);
      created[name] = fn;
      return fn;
    };
    // Invoked functions first: the grants of those that invoke them name them.
    // Callers wait for them inside their own 29 s: an invoked function must give up well before.
    for (const [name, spec] of Object.entries(catalogue.internalFunctions ?? {})) {
      deploy(name, spec, Duration.seconds(20));
    }
    for (const [name, spec] of Object.entries(catalogue.functions)) deploy(name, spec);
    for (const [name, spec] of Object.entries(catalogue.streamConsumers ?? {})) {
      // A batch is not an HTTP request: more time than the API's 29 s, well under the stream's patience.
      const consumer = deploy(name, spec, Duration.minutes(2));
      const projection = new StreamProjection(this, `${pascal(name)}Stream`, {
        table: this.store.tables[spec.table],
        consumer,
      });
      this.monitoring.watchStreamProjection(name, projection);
    }
    this.functions = created;
    const kmsUsers = Object.entries(created)
      .filter(([name]) => (catalogue.permissions[name]?.signWith ?? []).length > 0)
      .map(([, fn]) => fn);
    this.monitoring.watchKmsQuota(config.keySpec, config.kmsSignRequestsPerSecond, kmsUsers);
    const authority = Object.entries(created).find(([name]) =>
      catalogue.permissions[name]?.signWith?.includes('ca'),
    )?.[1];
    if (authority) this.monitoring.watchCrlFreshness(authority.logGroup);
    if (created.signatureReconciler) this.monitoring.watchKeyUseReconciliation();
    if (created.webhookSender) this.monitoring.watchWebhookDeadLetters();
    // A schedule whose target could not be invoked after its retries leaves its event here, alarmed.
    const scheduleDeadLetters =
      Object.keys({ ...catalogue.schedules, ...catalogue.clockSchedules }).length > 0
        ? this.monitoring.deadLetterQueue('schedules', 'the schedules (lib/schedules.ts)')
        : undefined;
    for (const [name, spec] of Object.entries(catalogue.schedules ?? {})) {
      const target = created[spec.function];
      if (!target) throw new Error(`schedule ${name} invokes ${spec.function}, which is not deployed`);
      new Rule(this, `${pascal(name)}Schedule`, {
        description: `docflow ${config.stage}: ${spec.description}`,
        schedule: Schedule.rate(Duration.hours(spec.everyHours)),
        targets: [
          new LambdaFunction(target.handler, {
            event: RuleTargetInput.fromObject(spec.input),
            // A missed run is made good by the next one; two retries cover a throttle or a cold error.
            retryAttempts: 2,
            maxEventAge: Duration.hours(Math.min(spec.everyHours, 24)),
            deadLetterQueue: scheduleDeadLetters,
          }),
        ],
      });
    }
    const clock = Object.fromEntries(
      Object.entries(catalogue.clockSchedules ?? {}).filter(([, spec]) => created[spec.function]),
    );
    if (Object.keys(clock).length > 0 && scheduleDeadLetters)
      new ClockSchedules(this, 'ClockSchedules', {
        stage: config.stage,
        schedules: clock,
        functions: Object.fromEntries(Object.entries(created).map(([name, fn]) => [name, fn.handler])),
        deadLetterQueue: scheduleDeadLetters,
      });
    access.grantRunTimeKeyUse(created, catalogue.permissions);

    this.api = new DocflowApi(this, 'Api', {
      rateLimit: config.apiRateLimit,
      burstLimit: config.apiBurstLimit,
      logRetention: config.logRetentionDays,
      domain: config.apiDomainName
        ? { domainName: config.apiDomainName, certificateArn: config.apiCertificateArn ?? '' }
        : undefined,
    });
    this.monitoring.watchHttpApi(this.api.httpApi);
    if (this.api.executeApiEndpointEnabled) {
      Annotations.of(this.api).addWarningV2(
        'docflow:execute-api-open',
        'no apiDomainName: CloudFront reaches the API on its execute-api endpoint, which must stay open, so WAF and geo restriction can be bypassed there',
      );
    }

    // The live inbox: a WebSocket API whose connections the notifier tells of changes.
    const live =
      created.live && created.liveAuthorizer
        ? new LiveInbox(this, 'Live', {
            routes: created.live,
            authorizer: created.liveAuthorizer,
            logRetention: config.logRetentionDays,
            rateLimit: config.apiRateLimit,
            burstLimit: config.apiBurstLimit,
          })
        : undefined;
    for (const [name, fn] of Object.entries(created))
      if (live && catalogue.permissions[name]?.manageConnections) live.grantManageConnections(fn);

    // The public CRL route (lambdas/routes.ts), whose URL certificates carry as their distribution point.
    const crlRoute = catalogue.routes.find((r) => r.method === 'GET' && !r.auth && r.path.endsWith('/crl'));
    const s3Host = (bucket: string) => `https://${bucket}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    this.web = new Web(this, 'Web', {
      apiDomainName: this.api.originDomainName,
      // Public GETs for relying parties (trust anchors, CRL), each its own cacheable, plain-HTTP behavior.
      publicPkiPaths: catalogue.routes
        .filter(
          (r) => r.method === 'GET' && !r.auth && r.path.startsWith('/api/pki/') && !r.path.includes('{'),
        )
        .map((r) => r.path),
      connectSources: [
        // Presigned uploads to intake, presigned reads of revisions (PDF preview) from the archive.
        s3Host(this.files.browserFacingBucketNames.intake),
        s3Host(this.files.browserFacingBucketNames.archive),
        // Hosted sign-in (token endpoint) and Cognito's own API.
        this.users.signInUrl,
        `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`,
        // The live inbox's socket.
        ...(live ? [`wss://${live.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`] : []),
      ],
      accessLogs: logBuckets.serverAccessLogs,
      cloudFrontLogs: logBuckets.cloudFrontLogs ?? logBuckets.serverAccessLogs,
      domain: config.webDomainName
        ? { domainName: config.webDomainName, certificateArn: config.webCertificateArn ?? '' }
        : undefined,
      allowedCountries: config.allowedCountries,
      webAclArn: config.webAclArn,
    });
    this.files.buckets.intake.addCorsRule({
      allowedMethods: [HttpMethods.PUT, HttpMethods.POST],
      allowedOrigins: [...this.web.origins],
      allowedHeaders: ['content-type', 'content-md5', 'x-amz-*'],
      exposedHeaders: ['ETag'],
      maxAge: 3000,
    });
    this.files.buckets.archive.addCorsRule({
      allowedMethods: [HttpMethods.GET, HttpMethods.HEAD],
      allowedOrigins: [...this.web.origins],
      // pdf.js reads documents in ranges.
      allowedHeaders: ['range'],
      exposedHeaders: ['Accept-Ranges', 'Content-Length', 'Content-Range', 'ETag'],
      maxAge: 3000,
    });

    const webClient = this.users.addWebClient(this.web.origins);
    this.api.addRoutes({
      functions: created,
      routes: catalogue.routes,
      userPool: this.users.userPool,
      userPoolClient: webClient,
    });
    created.liveAuthorizer?.addEnvironment({
      DOCFLOW_JWT_ISSUER: this.users.userPool.userPoolProviderUrl,
      DOCFLOW_JWT_AUDIENCE: webClient.userPoolClientId,
    });
    this.web.deployAssets({
      assetsPath: props.webAssetsPath ?? join(REPO_ROOT, 'web', 'dist'),
      runtimeConfig: {
        cognito: { domain: this.users.signInUrl, clientId: webClient.userPoolClientId },
        ...(live ? { liveUrl: live.stage.url } : {}),
      },
      logRetention: config.logRetentionDays,
    });

    // Certificates name the CRL's public URL, which only exists once the distribution does.
    for (const [name, fn] of Object.entries(created)) {
      if (!catalogue.permissions[name]?.signWith?.includes('ca')) continue;
      if (crlRoute) fn.addEnvironment({ DOCFLOW_CRL_URL: `${this.web.publicHttpOrigin}${crlRoute.path}` });
      else
        Annotations.of(fn).addWarningV2(
          'docflow:no-crl-route',
          'no public GET …/crl route: certificates get no reachable CRL URL',
        );
    }

    // Sole control of signatures (docs/SECURITY.md): STS trusts the activation function's issuer, on the web
    // origin (CloudFront sends /api/* to the API), and the signer exchanges activation data for a session.
    const webHost = config.webDomainName ?? this.web.distribution.distributionDomainName;
    const issuer = `https://${webHost}/api/signature-activation`;
    this.signerSession = new SignerSession(this, 'SignerSession', {
      stage: config.stage,
      issuer,
      signingAlgorithm: this.signingKeys.signingAlgorithm,
    });
    created.signatureActivation?.addEnvironment({
      DOCFLOW_ACTIVATION_ISSUER: issuer,
      DOCFLOW_WEB_ORIGINS: this.web.origins.join(','),
      DOCFLOW_WEBAUTHN_RP_ID: webHost,
    });
    created.signer?.addEnvironment({
      DOCFLOW_ACTIVATION_ISSUER: issuer,
      DOCFLOW_SIGNER_SESSION_ROLE_ARN: this.signerSession.role.roleArn,
    });

    // Departures disable the person's sign-in, people added get theirs (lambdas/adapters/sign-in-accounts.ts).
    for (const [name, fn] of Object.entries(created)) {
      if (!catalogue.permissions[name]?.manageSignIn) continue;
      fn.addEnvironment({ DOCFLOW_USER_POOL_ID: this.users.userPool.userPoolId });
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [
            'cognito-idp:ListUsers',
            'cognito-idp:AdminDisableUser',
            'cognito-idp:AdminUserGlobalSignOut',
            // A person added on the administration screen gets their account (invited by e-mail).
            'cognito-idp:AdminCreateUser',
            'cognito-idp:AdminAddUserToGroup',
          ],
          resources: [this.users.userPool.userPoolArn],
        }),
      );
    }

    // E-mail to people (notifications): from the stage's verified SES identity, with links to the web inbox.
    for (const [name, fn] of Object.entries(created)) {
      if (!catalogue.permissions[name]?.sendEmail) continue;
      fn.addEnvironment({ DOCFLOW_WEB_URL: this.web.origins.at(-1) ?? '' });
      if (!config.sesFromAddress) continue;
      const sesRegion = config.sesRegion ?? config.region ?? Aws.REGION;
      const identity = config.sesVerifiedDomain ?? config.sesFromAddress;
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [`arn:${Aws.PARTITION}:ses:${sesRegion}:${Aws.ACCOUNT_ID}:identity/${identity}`],
        }),
      );
      fn.addEnvironment({
        DOCFLOW_MAIL_FROM: config.sesFromName
          ? `${config.sesFromName} <${config.sesFromAddress}>`
          : config.sesFromAddress,
        DOCFLOW_SES_REGION: sesRegion,
      });
    }

    // The national document exchange (issue 20): its endpoint for the exchange functions; external roots
    // trusted by every function that checks signatures.
    for (const name of ['exchange', 'exchangePoller']) {
      const fn = created[name];
      if (!fn) continue;
      if (config.exchangeUrl) fn.addEnvironment({ DOCFLOW_EXCHANGE_URL: config.exchangeUrl });
      else
        Annotations.of(fn).addWarningV2(
          'docflow:no-exchange-url',
          'no exchangeUrl: nothing is sent to or taken from the national document exchange',
        );
    }
    if (config.trustedRootsPem)
      for (const fn of Object.values(created))
        fn.addEnvironment({ DOCFLOW_TRUSTED_ROOTS_PEM: config.trustedRootsPem });

    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    // For operators' tools (npm run directory:load): the generated table name, without a console search.
    new CfnOutput(this, 'DirectoryTableName', { value: this.store.tables.directory.tableName });
    new CfnOutput(this, 'UserPoolClientId', { value: webClient.userPoolClientId });
    new CfnOutput(this, 'SignInUrl', { value: this.users.signInUrl });
    new CfnOutput(this, 'CaRootKeyArn', { value: this.signingKeys.ca.keyArn });
    new CfnOutput(this, 'BackupVaultName', { value: this.backups.vault.vault.backupVaultName });
    new CfnOutput(this, 'ArchiveBucketName', { value: this.files.buckets.archive.bucketName });
    new CfnOutput(this, 'TsaKeyArn', { value: this.signingKeys.tsa.keyArn });
  }
}
