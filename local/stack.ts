import { existsSync } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { boundedConfig, CALL_BOUNDS } from '../lambdas/adapters/aws-clients';
import { currentCrl, rootCertificate } from '../lambdas/adapters/city-pki';
import { parseCertificate } from '../lambdas/core/pki/certificate';
import { buckets, tables } from '../lambdas/deployment/resources';
import { streamConsumers } from '../lib/stream-consumers';
import { startGateway } from './gateway';
import { LocalIdentityProvider } from './identity-provider';
import { startKmsEmulator } from './kms/emulator';
import { startLambdaEndpoint } from './lambda-endpoint';
import { createTables, localBucketName, localTableName } from './provision';
import { startScheduler } from './scheduler';
import { seed } from './seed';
import {
  checkJava,
  LOCAL_CREDENTIALS,
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
  readonly services: Readonly<Record<'dynamodb' | 's3' | 'kms', string>>;
  /** The environment the handlers run with: what a deployed Lambda gets, plus local endpoints. */
  readonly environment: Readonly<Record<string, string>>;
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
  try {
    const dynamo = await startDynamoDbLocal(dataDir, host, {
      log,
      giveUp: (reason) => (options.onFatal ?? log)(reason),
    });
    running.push(dynamo);
    log(`  DynamoDB Local   ${dynamo.url}   (${javaVersion.trim()})`);

    const bucketNames = Object.values(buckets).map((b) => localBucketName(b.id));
    const s3 = await startS3rver(dataDir, host, bucketNames);
    running.push(s3);
    log(`  s3rver (S3)      ${s3.url}   buckets: ${bucketNames.join(', ')}`);

    const kms = await startKmsEmulator({ dataDir, port: 0, host, region: LOCAL_REGION });
    running.push({ name: 'KMS emulator', url: kms.url, stop: () => kms.close() });
    log(`  KMS emulator     ${kms.url}   keys in ${resolve(dataDir, 'kms')}`);

    const lambda = await startLambdaEndpoint(host);
    running.push({
      name: 'Lambda endpoint',
      url: lambda.url,
      stop: () => new Promise<void>((done) => lambda.server.close(() => done())),
    });
    log(`  Lambda (invoke)  ${lambda.url}   certificate authority`);

    const environment: Record<string, string> = {
      DOCFLOW_STAGE: 'local',
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ENDPOINT_URL_KMS: kms.url,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      // Deployed, the stack sets the function's name on the functions allowed to invoke it.
      DOCFLOW_CERTIFICATE_AUTHORITY_FUNCTION: 'certificateAuthority',
      DOCFLOW_SIGNER_FUNCTION: 'signer',
      DOCFLOW_SIGNER_SESSION_ROLE_ARN: `arn:aws:iam::000000000000:role/docflow-local-signer-session`,
      DOCFLOW_S3_FORCE_PATH_STYLE: 'true',
      POWERTOOLS_SERVICE_NAME: 'docflow',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    };
    for (const spec of Object.values(tables)) environment[spec.env] = localTableName(spec);
    for (const spec of Object.values(buckets)) environment[spec.env] = localBucketName(spec.id);
    // The handlers run in this process, exactly as they read their configuration in Lambda.
    Object.assign(process.env, environment);

    const client = new DynamoDBClient(boundedConfig(CALL_BOUNDS.dynamodb));
    const created = await createTables(client);
    client.destroy();
    log(`  tables           ${created.length > 0 ? `created ${created.join(', ')}` : 'already there'}`);

    const seeded = await seed({ log });
    // The city PKI as the deployed stack has it: root CA and TSA keys in KMS, their certificates, a CRL,
    // made by the certificate authority function on first use, asked for here as any function would.
    const root = await rootCertificate();
    await currentCrl();
    log(`  PKI              root CA "${parseCertificate(root).subject.commonName}", TSA, CRL (keys in KMS)`);
    const idp = await LocalIdentityProvider.open(dataDir);
    const gateway = await startGateway({
      port: options.port,
      host,
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
    // The activation issuer and WebAuthn's origins are the gateway's, known only now. Passkeys need a
    // domain, never an IP address: the web inbox is served at localhost as well.
    const gatewayUrl = `http://${host}:${gateway.port}`;
    const localhost = `http://localhost:${gateway.port}`;
    const late = {
      DOCFLOW_ACTIVATION_ISSUER: `${gatewayUrl}/api/signature-activation`,
      DOCFLOW_WEB_ORIGINS: [localhost, gatewayUrl].join(','),
      DOCFLOW_WEBAUTHN_RP_ID: 'localhost',
    };
    Object.assign(environment, late);
    Object.assign(process.env, late);
    // DynamoDB Local triggers no Lambdas: play the deployed stream event source for each consumer
    // (lib/stream-consumers.ts), each with its own position in the stream, as each event source mapping has.
    if (options.streamConsumers !== false) {
      for (const [name, spec] of Object.entries(streamConsumers)) {
        const { handler } = (await import(resolve(import.meta.dirname, '..', spec.entry))) as {
          handler: Parameters<typeof startStreamPoller>[0]['handler'];
        };
        const tableName = localTableName(tables[spec.table]);
        const poller = await startStreamPoller({ tableName, handler, name, log });
        running.push({ name: `stream poller (${name})`, url: '', stop: () => poller.stop() });
        log(`  log stream       ${tableName} → ${spec.entry}`);
      }
    }
    const scheduler = startScheduler(log);
    running.push({ name: 'scheduler', url: '', stop: async () => scheduler.stop() });
    log('  schedules        lib/schedules.ts → the local Lambda endpoint (CRL daily, tree head hourly)');
    running.push({
      name: 'gateway',
      url: '',
      stop: () => new Promise<void>((done) => gateway.server.close(() => done())),
    });
    gateway.server.closeIdleConnections();
    const url = `http://${host}:${gateway.port}`;
    return {
      url,
      dataDir,
      services: { dynamodb: dynamo.url, s3: s3.url, kms: kms.url },
      environment,
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
