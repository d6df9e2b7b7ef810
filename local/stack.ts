import { existsSync } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { boundedConfig, CALL_BOUNDS } from '../lambdas/adapters/aws-clients';
import { currentCrl, rootCertificate } from '../lambdas/adapters/city-pki';
import { parseCertificate } from '../lambdas/core/pki/certificate';
import { buckets, tables } from '../lambdas/deployment/resources';
import { streamConsumers } from '../lib/stream-consumers';
import { startExchangeSimulator } from './exchange-simulator';
import { FunctionHost } from './functions/host';
import { startGateway } from './gateway';
import {
  credentialVariables,
  type LocalFunctionIdentity,
  provisionFromTemplate,
  startLocalIam,
} from './iam/local-aws';
import { localTemplate } from './iam/template';
import { LocalIdentityProvider } from './identity-provider';
import { startKmsEmulator } from './kms/emulator';
import { startLambdaEndpoint } from './lambda-endpoint';
import { startMailCatcher } from './mail';
import { createTables, localBucketName, localTableName } from './provision';
import { startS3Gate } from './s3-gate';
import { startScheduler } from './scheduler';
import { seed } from './seed';
import {
  checkJava,
  freePort,
  LOCAL_REGION,
  type RunningService,
  startDynamoDbLocal,
  startS3rver,
} from './services';
import { startStreamPoller } from './stream-poller';

export interface LocalStackOptions {
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** Wipe the data directory first. */
  readonly fresh: boolean;
  readonly log: (line: string) => void;
  readonly webRoot?: string;
  /** Run the log-stream consumers (default). Benchmarks of the write path turn them off. */
  readonly streamConsumers?: boolean;
  /**
   * A service died and will not be restarted (local/services.ts): the stack cannot go on. `npm start` stops
   * and exits with the reason; without it, the reason is logged.
   */
  readonly onFatal?: (reason: string) => void;
}

export interface LocalStack {
  readonly url: string;
  readonly dataDir: string;
  readonly services: Readonly<
    Record<'dynamodb' | 's3' | 'kms' | 'sts' | 'exchange' | 'mail' | 'scheduler', string>
  >;
  /**
   * Every resource name and endpoint, with the operator's credentials (an administrator who may not use
   * any signing key): what the seed, tools and tests run with.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** Each function's role, credentials and whole environment, as its own worker has them. */
  readonly functions: Readonly<Record<string, LocalFunctionIdentity>>;
  /** The break-glass role's session, with the operator's endpoints: key policy changes (ops/). */
  readonly breakGlass: LocalFunctionIdentity;
  stop(): Promise<void>;
}

/**
 * Brings docflow up on one machine: DynamoDB Local, s3rver and the KMS emulator behind their real AWS
 * APIs, the tables, buckets and keys the deployed stack would have, demo data, and the gateway that serves
 * the API (the deployed handlers, in-process) and the web inbox on one port.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { log, host } = options;
  const dataDir = resolve(options.dataDir);
  const javaVersion = checkJava();
  if (options.fresh) await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);

  const running: RunningService[] = [];
  const stopAll = async () => {
    for (const service of running.reverse()) await service.stop().catch(() => undefined);
  };
  // Operator settings the functions get too (e.g. DOCFLOW_TRUSTED_ROOTS_PEM), before this process's
  // environment becomes the operator's.
  const settings = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[0].startsWith('DOCFLOW_') && entry[1] !== undefined,
    ),
  );
  // The gateway's address is known before it listens: the template's public URLs are resolved to it.
  const gatewayPort = options.port === 0 ? await freePort(host) : options.port;
  const gatewayOrigin = `http://${host}:${gatewayPort}`;
  // Synthesizing the CDK stack (when lib/ changed) overlaps with starting the services.
  const synthesized = localTemplate({ stage: 'local', accountId: '000000000000', region: LOCAL_REGION });
  synthesized.catch(() => undefined);
  try {
    const iam = await startLocalIam({ host, region: LOCAL_REGION });
    running.push({ name: 'STS', url: iam.stsUrl, stop: () => iam.close() });
    const dynamo = await startDynamoDbLocal(dataDir, host, {
      log,
      giveUp: (reason) => (options.onFatal ?? log)(reason),
    });
    running.push(dynamo);
    log(`  DynamoDB Local   ${dynamo.url}   (${javaVersion.trim()})`);

    const bucketNames = Object.values(buckets).map((b) => localBucketName(b.id));
    const s3rver = await startS3rver(dataDir, host, bucketNames);
    running.push(s3rver);
    // S3's authentication of every request and presigned URL, which s3rver does not check (local/s3-gate.ts).
    const s3 = await startS3Gate({ host, upstream: s3rver.url, iam: iam.iam });
    running.push({ name: 'S3 gate', url: s3.url, stop: () => s3.close() });
    log(`  s3rver (S3)      ${s3.url}   buckets: ${bucketNames.join(', ')}; signatures checked as S3 does`);

    const kms = await startKmsEmulator({ dataDir, port: 0, host, region: LOCAL_REGION, iam: iam.iam });
    running.push({ name: 'KMS emulator', url: kms.url, stop: () => kms.close() });
    log(
      `  KMS emulator     ${kms.url}   keys in ${resolve(dataDir, 'kms')}, requests in cloudtrail/kms.jsonl`,
    );
    log(`  STS, IAM         ${iam.stsUrl}   roles and key policies of the CDK stack, enforced`);

    // The national document exchange, played by a simulator unless the operator names one.
    const exchange = await startExchangeSimulator({ dataDir, host });
    running.push({ name: 'exchange simulator', url: exchange.url, stop: () => exchange.close() });
    settings.DOCFLOW_EXCHANGE_URL ??= exchange.url;
    log(
      `  exchange         ${exchange.url}   national document exchange simulator (edXML), kept in exchange/`,
    );
    // The laptop's SES: an SMTP server the notifier sends through, with a page of what it sent.
    const mail = await startMailCatcher(dataDir, host);
    running.push({ name: 'mail', url: mail.url, stop: () => mail.stop() });
    log(`  mail (SMTP)      ${mail.smtpUrl}   what was sent: ${mail.url}`);

    const functionHost = new FunctionHost(log);
    running.push({ name: 'functions', url: '', stop: () => functionHost.close() });
    const lambda = await startLambdaEndpoint({ host, invoke: functionHost.invoke, iam: iam.iam });
    running.push({
      name: 'Lambda endpoint',
      url: lambda.url,
      stop: () => new Promise<void>((done) => lambda.server.close(() => done())),
    });
    log(`  Lambda (invoke)  ${lambda.url}   certificate authority`);

    const baseEnvironment: Record<string, string> = {
      DOCFLOW_STAGE: 'local',
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ENDPOINT_URL_KMS: kms.url,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      AWS_ENDPOINT_URL_STS: iam.stsUrl,
      AWS_ENDPOINT_URL_IAM: iam.stsUrl,
      DOCFLOW_S3_FORCE_PATH_STYLE: 'true',
      POWERTOOLS_SERVICE_NAME: 'docflow',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    };
    const environment: Record<string, string> = {
      ...baseEnvironment,
      ...credentialVariables(iam.operator.credentials),
      // Deployed, the stack sets the function's name on the functions allowed to invoke it.
      DOCFLOW_CERTIFICATE_AUTHORITY_FUNCTION: 'certificateAuthority',
    };
    for (const spec of Object.values(tables)) environment[spec.env] = localTableName(spec);
    for (const spec of Object.values(buckets)) environment[spec.env] = localBucketName(spec.id);
    // This process (seed, provisioning, the stream poller, the scheduler) acts as the operator.
    Object.assign(process.env, environment);

    const client = new DynamoDBClient(boundedConfig(CALL_BOUNDS.dynamodb));
    const created = await createTables(client);
    client.destroy();
    log(`  tables           ${created.length > 0 ? `created ${created.join(', ')}` : 'already there'}`);

    const stack = await synthesized;
    const provisioned = await provisionFromTemplate({
      local: iam,
      stack,
      gatewayOrigin,
      kmsEndpoint: kms.url,
      baseEnvironment,
      settings,
      mail: { smtpUrl: mail.smtpUrl, from: 'docflow (UBND TP Hà Nội) <no-reply@docflow.localhost>' },
    });
    functionHost.register(provisioned.functions);
    log(
      `  CDK stack        ${stack.stackName}${stack.cached ? ' (cached template)' : ' (synthesized)'}: ${provisioned.summary.join('; ')}`,
    );
    log(
      `  functions        ${Object.keys(provisioned.functions).length}, each in its own worker with its role's credentials`,
    );

    const seeded = await seed({ log });
    // The city PKI as the deployed stack has it: root CA, issuing CA and TSA keys in KMS, their
    // certificates, the CRLs, made by the certificate authority function on first use, asked for here as
    // any function would.
    const root = await rootCertificate();
    await currentCrl();
    log(
      `  PKI              root CA "${parseCertificate(root).subject.commonName}" → issuing CA, TSA, CRLs (keys in KMS)`,
    );
    const idp = await LocalIdentityProvider.open(dataDir);
    const gateway = await startGateway({
      port: gatewayPort,
      host,
      invoke: functionHost.invoke,
      idp,
      demoUsers: seeded.demoUsers,
      webRoot:
        options.webRoot ??
        resolve(
          import.meta.dirname,
          '..',
          'web',
          existsSync(resolve(import.meta.dirname, '..', 'web', 'dist', 'index.html')) ? 'dist' : 'public',
        ),
      log: (line) => log(`  ${line}`),
    });
    // DynamoDB Local triggers no Lambdas: play the deployed stream event source for each consumer
    // (lib/stream-consumers.ts), each with its own position in the stream, as each event source mapping has.
    if (options.streamConsumers !== false) {
      for (const [name, spec] of Object.entries(streamConsumers)) {
        const tableName = localTableName(tables[spec.table]);
        const poller = await startStreamPoller({
          tableName,
          name,
          handler: async (event, context) =>
            (await functionHost.invoke(name, event, {
              functionName: context.functionName,
              timeoutMs: 120_000,
            })) as Awaited<ReturnType<Parameters<typeof startStreamPoller>[0]['handler']>>,
          log,
        });
        running.push({ name: `stream poller (${name})`, url: '', stop: () => poller.stop() });
        log(`  log stream       ${tableName} → ${spec.entry}`);
      }
    }
    const scheduler = await startScheduler(log, host);
    running.push({ name: 'scheduler', url: scheduler.url, stop: () => scheduler.stop() });
    log(
      `  schedules        lib/schedules.ts → the local Lambda endpoint (CRL daily, tree head, key-use reconciliation and archive renewal hourly, the national exchange every 5 min, reminders every 15 min); clock ${scheduler.url}/clock`,
    );
    running.push({
      name: 'gateway',
      url: '',
      stop: () =>
        new Promise<void>((done) => {
          gateway.live.close();
          gateway.server.close(() => done());
        }),
    });
    gateway.server.closeIdleConnections();
    const url = `http://${host}:${gateway.port}`;
    return {
      url,
      dataDir,
      services: {
        dynamodb: dynamo.url,
        s3: s3.url,
        kms: kms.url,
        sts: iam.stsUrl,
        exchange: settings.DOCFLOW_EXCHANGE_URL,
        mail: mail.url,
        scheduler: scheduler.url,
      },
      environment,
      functions: provisioned.identities,
      breakGlass: {
        ...provisioned.breakGlass,
        environment: { ...environment, ...provisioned.breakGlass.environment },
      },
      stop: async () => {
        gateway.server.closeAllConnections();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
