import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import type { StackInfo } from './global-setup';

/** Talks to the local stack the integration run started, over real HTTP. */

const tokens = new Map<string, string>();
let override: StackInfo | undefined;

/** The stack the run started, or the one a test file started for itself (a fresh year, say). */
export const stack = (): StackInfo => override ?? inject('stack');

export function useStack(info: StackInfo | undefined): void {
  override = info;
  tokens.clear();
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export async function api<T = unknown>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${stack().url}${path}`, { method, headers, body });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
    headers: response.headers,
  };
}

/** Signs in a demo user through the local identity provider (cached for the run). */
export async function login(userId: string): Promise<string> {
  const cached = tokens.get(userId);
  if (cached) return cached;
  const response = await api<{ token: string }>('POST', '/api/dev/login', { body: { userId } });
  if (response.status !== 200)
    throw new Error(`login ${userId}: ${response.status} ${JSON.stringify(response.body)}`);
  tokens.set(userId, response.body.token);
  return response.body.token;
}

/** The local identity provider's private key, to forge expired tokens the way an attacker could not. */
export async function idpPrivateJwk(): Promise<Record<string, unknown>> {
  const stored = JSON.parse(await readFile(join(stack().dataDir, 'idp', 'signing-key.json'), 'utf8'));
  return stored.privateJwk as Record<string, unknown>;
}

function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: stack().environment.AWS_REGION,
    credentials: {
      accessKeyId: stack().environment.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: stack().environment.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
}

/** S3 as the operator (the stack's own credentials): what writes behind the system's back in tests. */
export function operatorS3(): S3Client {
  return new S3Client({ ...clientConfig(stack().services.s3), forcePathStyle: true });
}

/**
 * A fingerprint of everything docflow stores: every item of every table and every object key and ETag in
 * every bucket. Equal fingerprints before and after a request mean it changed nothing.
 */
export async function stateFingerprint(): Promise<string> {
  // The transparency log follows the circulation log asynchronously (a stream consumer): wait until the
  // state is quiet, so a fingerprint never catches the sequencer half-way.
  let previous = await fingerprintOnce();
  for (let attempt = 0; attempt < 40; attempt++) {
    await new Promise((r) => setTimeout(r, 300));
    const current = await fingerprintOnce();
    if (current === previous) return current;
    previous = current;
  }
  throw new Error('the stored state did not settle within 12 s');
}

async function fingerprintOnce(): Promise<string> {
  const env = stack().environment;
  const dynamo = new DynamoDBClient(clientConfig(stack().services.dynamodb));
  const s3 = operatorS3();
  const hash = createHash('sha256');
  try {
    const tableNames = Object.entries(env)
      .filter(([k]) => k.endsWith('_TABLE'))
      .map(([, v]) => v)
      .sort();
    for (const TableName of tableNames) {
      const items: string[] = [];
      let ExclusiveStartKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
      do {
        const page = await dynamo.send(
          new ScanCommand({ TableName, ExclusiveStartKey, ConsistentRead: true }),
        );
        for (const item of page.Items ?? []) items.push(JSON.stringify(item, Object.keys(item).sort()));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      hash.update(`${TableName}\n${items.sort().join('\n')}\n`);
    }
    const bucketNames = Object.entries(env)
      .filter(([k]) => k.endsWith('_BUCKET'))
      .map(([, v]) => v)
      .sort();
    for (const Bucket of bucketNames) {
      let ContinuationToken: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
        for (const object of page.Contents ?? []) hash.update(`${Bucket}/${object.Key} ${object.ETag}\n`);
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
    }
  } finally {
    dynamo.destroy();
    s3.destroy();
  }
  return hash.digest('hex');
}
