import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { IamStore, Identity } from '../iam/identities';
import { AuthenticationError, authenticate } from '../iam/sigv4';
import { kmsAuthorizer } from './authorization';
import { KmsError, type KmsErrorType } from './errors';
import {
  ALLOW_ALL,
  type KmsContext,
  keyArn,
  OPERATIONS,
  purgeDeletedKeys,
  type ResponseBody,
} from './operations';
import { KmsStore } from './persistence';
import { KmsEventLog, kmsEvent } from './request-log';

export interface KmsEmulatorOptions {
  /** Keys and aliases live in `<dataDir>/kms/`; the same dataDir after a restart gives the same keys. */
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the emulator holds private keys, so keep it local. */
  host?: string;
  /**
   * Who may do what: each request's SigV4 signature is checked against these identities and the action
   * against the caller's policies and the key policy, as KMS does. Without it every signed request is
   * allowed (the emulator's own protocol tests).
   */
  iam?: IamStore;
  /** Region in key ARNs; default us-east-1. */
  region?: string;
  /** Account in key ARNs; default 000000000000. */
  accountId?: string;
  /** Clock in epoch milliseconds, for tests that need to pass a key's deletion date. */
  now?: () => number;
}

export interface KmsEmulator {
  /** Endpoint for a KMSClient (`endpoint`) or for AWS_ENDPOINT_URL_KMS. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
// Far above any valid KMS request (a Sign message is at most 4 KiB); stops a runaway client early.
const MAX_BODY_BYTES = 1024 * 1024;

type BaseContext = Omit<KmsContext, 'authorize' | 'mayStillManage'> & {
  readonly iam?: IamStore;
  readonly log: KmsEventLog;
};

/**
 * Starts a KMS emulator speaking the KMS JSON protocol (`x-amz-target: TrentService.<Operation>`), so the
 * unmodified @aws-sdk/client-kms talks to it. With `iam`, it authenticates each request (SigV4) and
 * authorizes it (key policy and IAM policies) as KMS does; every request is logged (request-log.ts).
 */
export async function startKmsEmulator(opts: KmsEmulatorOptions): Promise<KmsEmulator> {
  const ctx: BaseContext = {
    store: KmsStore.open(join(opts.dataDir, 'kms')),
    region: opts.region ?? 'us-east-1',
    accountId: opts.accountId ?? '000000000000',
    now: opts.now ?? Date.now,
    log: new KmsEventLog(opts.dataDir),
    ...(opts.iam ? { iam: opts.iam } : {}),
  };
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handleRequest(ctx, req, res).catch((error: unknown) => {
      console.error('kms emulator: failed to answer a request', error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this close() would wait for them to time out.
        server.closeIdleConnections();
      }),
  };
}

const AUTHENTICATION_ERRORS: Record<AuthenticationError['failure'], KmsErrorType> = {
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  UnrecognizedClient: 'UnrecognizedClientException',
  InvalidSignature: 'InvalidSignatureException',
  ExpiredToken: 'ExpiredTokenException',
};

const accessKeyOf = (authorization: string | undefined) =>
  /Credential=([^/\s,]+)\//.exec(authorization ?? '')?.[1];

async function handleRequest(base: BaseContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  let operationName = '(none)';
  let identity: Identity | undefined;
  let body: unknown;
  const keyArns: string[] = [];
  let logged = false;
  const record = (response: ResponseBody | undefined, error?: KmsError) => {
    if (logged || operationName === '(none)') return;
    logged = true;
    const responseElements =
      operationName === 'CreateKey' && response?.KeyMetadata
        ? { keyMetadata: { keyId: (response.KeyMetadata as { KeyId: string }).KeyId } }
        : null;
    base.log.append(
      kmsEvent({
        operation: operationName,
        identity,
        accessKeyId: accessKeyOf(req.headers.authorization),
        body,
        region: base.region,
        accountId: base.accountId,
        keyArns,
        requestId,
        userAgent: String(req.headers['user-agent'] ?? ''),
        responseElements,
        ...(error ? { error: { code: error.type, message: error.message } } : {}),
        at: new Date(base.now()),
      }),
    );
  };
  try {
    if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
      throw new KmsError('UnsupportedOperationException', 'KMS accepts only POST /', 404);
    }
    // Real AWS rejects unsigned requests before looking at anything else.
    if (!req.headers.authorization) {
      throw new KmsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    }
    const target = req.headers['x-amz-target'];
    const operation =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? OPERATIONS.get(target.slice(TARGET_PREFIX.length))
        : undefined;
    if (!operation) {
      throw new KmsError(
        'UnsupportedOperationException',
        `Operation ${String(target)} is not supported by the docflow KMS emulator`,
      );
    }
    operationName = String(target).slice(TARGET_PREFIX.length);
    const raw = await readBody(req);
    let access: Pick<KmsContext, 'authorize' | 'mayStillManage'> = ALLOW_ALL;
    if (base.iam) {
      const iam = base.iam;
      try {
        identity = await authenticate(
          iam,
          { method: req.method, url: req.url ?? '/', headers: req.headers, body: raw },
          'kms',
        );
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        throw new KmsError(AUTHENTICATION_ERRORS[error.failure], error.message);
      }
      access = kmsAuthorizer(identity, iam.now, (check) => {
        if (check.key) keyArns.push(keyArn(check.key));
      });
    }
    body = parseBody(req.headers['content-type'], raw);
    const ctx: KmsContext = { ...base, ...access };
    purgeDeletedKeys(ctx);
    const response = await operation(ctx, body);
    record(response);
    send(res, 200, requestId, response);
  } catch (error) {
    if (error instanceof KmsError) {
      record(undefined, error);
      send(res, error.status, requestId, { __type: error.type, message: error.message });
      return;
    }
    // Only the operation name and the error: request bodies may hold document digests.
    console.error(`kms emulator: ${operationName} failed (request ${requestId})`, error);
    record(undefined, new KmsError('KMSInternalException', 'Internal error in the KMS emulator', 500));
    send(res, 500, requestId, {
      __type: 'KMSInternalException',
      message: 'Internal error in the KMS emulator',
    });
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > MAX_BODY_BYTES) throw new KmsError('ValidationException', 'Request body too large', 413);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

function parseBody(contentType: string | undefined, raw: Buffer): unknown {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== CONTENT_TYPE) {
    throw new KmsError(
      'SerializationException',
      `Expected content-type ${CONTENT_TYPE}, got ${contentType ?? 'none'}`,
    );
  }
  if (raw.length === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new KmsError('SerializationException', 'Request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new KmsError('SerializationException', 'Request body must be a JSON object');
  }
  return body;
}

function send(res: ServerResponse, status: number, requestId: string, body: ResponseBody): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
  });
  res.end(payload);
}
