import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IamStore, Identity } from './identities';

/*
 * Checks a request's Signature Version 4 the way AWS does: the access key must be known, a session's
 * token must come with it, the session must not have expired, the date must be within 15 minutes, and the
 * signature recomputed with the caller's secret by @smithy/signature-v4 (the signer the SDK itself uses)
 * must equal the one sent.
 */

export type AuthenticationFailure =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'UnrecognizedClient'
  | 'InvalidSignature'
  | 'ExpiredToken';

export class AuthenticationError extends Error {
  constructor(
    readonly failure: AuthenticationFailure,
    message: string,
  ) {
    super(message);
    this.name = failure;
  }
}

export interface SignedRequest {
  readonly method: string;
  /** Path and query as they came over the wire (still percent-encoded). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** node:crypto behind the Checksum interface SignatureV4 expects (sha256 or HMAC-sha256). */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;
const MAX_SKEW_MS = 15 * 60_000;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

function amzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}

/** The identity that signed `request` for `service`, or the error AWS would answer with. */
export async function authenticate(
  store: IamStore,
  request: SignedRequest,
  service: string,
): Promise<Identity> {
  const authorization = header(request.headers, 'authorization');
  if (!authorization)
    throw new AuthenticationError('MissingAuthenticationToken', 'Request is missing Authentication Token');
  const parsed = AUTHORIZATION.exec(authorization.trim());
  if (!parsed)
    throw new AuthenticationError(
      'IncompleteSignature',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters (AWS4-HMAC-SHA256). Authorization=${authorization.split(' ')[0]}`,
    );
  const [
    ,
    accessKeyId = '',
    scopeDate = '',
    region = '',
    scopeService = '',
    signedHeaders = '',
    signature = '',
  ] = parsed;
  if (scopeService !== service)
    throw new AuthenticationError(
      'InvalidSignature',
      `Credential should be scoped to correct service: '${service}'.`,
    );
  if (region !== store.region)
    throw new AuthenticationError(
      'InvalidSignature',
      `Credential should be scoped to a valid region, not '${region}'.`,
    );
  const identity = store.identity(accessKeyId);
  const token = header(request.headers, 'x-amz-security-token');
  if (!identity || (identity.credentials.sessionToken ?? undefined) !== (token ?? undefined))
    throw new AuthenticationError(
      'UnrecognizedClient',
      'The security token included in the request is invalid.',
    );
  if (store.isExpired(identity))
    throw new AuthenticationError('ExpiredToken', 'The security token included in the request is expired');

  const dateHeader = header(request.headers, 'x-amz-date') ?? '';
  const signingDate = amzDate(dateHeader);
  if (!signingDate || !dateHeader.startsWith(scopeDate))
    throw new AuthenticationError(
      'IncompleteSignature',
      'Date must be in ISO-8601 basic format (X-Amz-Date)',
    );
  const now = store.now();
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS)
    throw new AuthenticationError(
      'InvalidSignature',
      `Signature expired: ${dateHeader} is now earlier than ${new Date(now.getTime() - MAX_SKEW_MS).toISOString()} (${now.toISOString()} - 15 min.)`,
    );

  // The signer takes a payload hash sent in x-amz-content-sha256 on trust: it must be the body's.
  const payloadHash = header(request.headers, 'x-amz-content-sha256');
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(request.body).digest('hex'))
    throw new AuthenticationError(
      'InvalidSignature',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  const names = signedHeaders.split(';');
  if (!names.includes('host'))
    throw new AuthenticationError(
      'InvalidSignature',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const url = new URL(request.url, 'http://localhost');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const signer = new SignatureV4({
    credentials: identity.credentials,
    region,
    service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: (headers.host ?? '').replace(/:\d+$/, ''),
      path: url.pathname,
      query,
      headers,
      body: request.body,
    },
    { signingDate, signingRegion: region, signingService: service, signableHeaders: new Set(names) },
  );
  const computed = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1] ?? '';
  const sameHeaders = new RegExp(`SignedHeaders=${signedHeaders.replace(/[.]/g, '\\.')},`).test(
    String(expected.headers.authorization),
  );
  const matches =
    sameHeaders &&
    computed.length === signature.length &&
    timingSafeEqual(Buffer.from(computed, 'hex'), Buffer.from(signature, 'hex'));
  if (!matches)
    throw new AuthenticationError(
      'InvalidSignature',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  return identity;
}
