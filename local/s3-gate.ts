import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IamStore } from './iam/identities';

/*
 * S3's request authentication in front of s3rver, which accepts any request (it only looks up the access
 * key, never the signature or a presigned URL's expiry). Every request is checked as S3 checks it before
 * s3rver sees it:
 * - Signature Version 4 in the Authorization header (the functions' SDK clients): known key, session token,
 *   date within 15 minutes, the signature over the canonical request, and the body against the
 *   x-amz-content-sha256 it was signed with;
 * - a presigned URL (query-string SigV4: the web's and the tests' uploads and downloads): the same, plus
 *   X-Amz-Expires (at most a week) counted from X-Amz-Date. The signature covers the method, the bucket and
 *   key, every query parameter (the expiry included) and the signed headers (an upload's Content-Type), so
 *   a URL used for another key, another method, another type or a later expiry does not match;
 * - anything else is anonymous, and the buckets are private: AccessDenied.
 * Refusals are S3's own XML errors (AccessDenied, SignatureDoesNotMatch, …). CORS preflights (OPTIONS)
 * pass: S3 answers them from the bucket's CORS rules without authentication. A presigned PUT carries no
 * size bound (only a presigned POST's policy can); the largest single PUT S3 takes is 5 GiB.
 */

const MAX_SKEW_MS = 15 * 60_000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
const MAX_PUT_BYTES = 5 * 1024 ** 3;
const UNSIGNED = 'UNSIGNED-PAYLOAD';

class S3Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const xmlEscape = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

function refuse(response: ServerResponse, method: string | undefined, refusal: S3Refusal): void {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const fields = { Code: refusal.code, Message: refusal.message, ...refusal.details, RequestId: requestId };
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${Object.entries(fields)
    .map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`)
    .join('')}<HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
  response.writeHead(refusal.status, {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
    // A browser reading the refusal of a presigned request needs CORS headers, as S3 sends them.
    'access-control-allow-origin': '*',
    ...(method === 'HEAD' ? {} : { 'content-length': Buffer.byteLength(body) }),
  });
  response.end(method === 'HEAD' ? undefined : body);
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The query as sent: each parameter decoded once, in order (repeats kept). */
function queryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((part) => {
    const at = part.indexOf('=');
    return at === -1 ? [decode(part), ''] : [decode(part.slice(0, at)), decode(part.slice(at + 1))];
  });
}

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

interface Signed {
  readonly accessKeyId: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly amzDate: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly payloadHash: string;
  readonly token: string | undefined;
  /** Query parameters that take part in the canonical request. */
  readonly query: readonly [string, string][];
}

/** The canonical request and string to sign of SigV4 for S3 (the path as sent, not normalised). */
function stringToSign(method: string, path: string, headers: IncomingHttpHeaders, signed: Signed) {
  const query = signed.query
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signed.signedHeaders
    .map((name) => `${name}:${(headerValue(headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    method,
    path,
    query,
    canonicalHeaders,
    signed.signedHeaders.join(';'),
    signed.payloadHash,
  ].join('\n');
  const scope = `${signed.scopeDate}/${signed.region}/${signed.service}/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    signed.amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  return { canonicalRequest, toSign };
}

function signatureOf(secret: string, signed: Signed, toSign: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  let key = hmac(`AWS4${secret}`, signed.scopeDate);
  for (const part of [signed.region, signed.service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

function amzTime(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}

const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

const queryError = (message: string) => new S3Refusal(400, 'AuthorizationQueryParametersError', message);

/** A presigned URL's parameters, or undefined when the request is not query-signed. */
function presigned(
  pairs: readonly [string, string][],
  region: string,
): (Signed & { expires: number }) | undefined {
  const get = (name: string) => pairs.find(([k]) => k === name)?.[1];
  const algorithm = get('X-Amz-Algorithm');
  if (algorithm === undefined) return undefined;
  if (algorithm !== 'AWS4-HMAC-SHA256') throw queryError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = get('X-Amz-Credential');
  const amzDate = get('X-Amz-Date');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  const expires = get('X-Amz-Expires');
  if (!credential || !amzDate || !signedHeaders || !signature || expires === undefined)
    throw queryError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  const parts = CREDENTIAL.exec(credential);
  if (!parts)
    throw queryError(
      `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    );
  const [, accessKeyId = '', scopeDate = '', scopeRegion = '', service = ''] = parts;
  if (scopeRegion !== region)
    throw queryError(
      `Error parsing the X-Amz-Credential parameter; the region '${scopeRegion}' is wrong; expecting '${region}'`,
    );
  if (service !== 's3')
    throw queryError(
      `Error parsing the X-Amz-Credential parameter; incorrect service "${service}". This endpoint belongs to "s3".`,
    );
  const seconds = Number(expires);
  if (!/^\d+$/.test(expires)) throw queryError('X-Amz-Expires should be a number');
  if (seconds > MAX_PRESIGNED_SECONDS)
    throw queryError('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  return {
    accessKeyId,
    scopeDate,
    region: scopeRegion,
    service,
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature,
    payloadHash: get('X-Amz-Content-Sha256') ?? UNSIGNED,
    token: get('X-Amz-Security-Token'),
    query: pairs.filter(([k]) => k !== 'X-Amz-Signature'),
    expires: seconds,
  };
}

/** The Authorization header's SigV4, or undefined when there is none. */
function headerSigned(
  headers: IncomingHttpHeaders,
  pairs: readonly [string, string][],
  region: string,
): Signed | undefined {
  const authorization = headerValue(headers, 'authorization');
  if (authorization === undefined) return undefined;
  const parsed = AUTHORIZATION.exec(authorization.trim());
  if (!parsed)
    throw new S3Refusal(
      400,
      'AuthorizationHeaderMalformed',
      'The authorization header is malformed; it must be AWS4-HMAC-SHA256 with Credential, SignedHeaders and Signature.',
    );
  const [, credential = '', signedHeaders = '', signature = ''] = parsed;
  const parts = CREDENTIAL.exec(credential);
  if (!parts)
    throw new S3Refusal(
      400,
      'AuthorizationHeaderMalformed',
      'The authorization header is malformed; the Credential is mal-formed.',
    );
  const [, accessKeyId = '', scopeDate = '', scopeRegion = '', service = ''] = parts;
  if (scopeRegion !== region)
    throw new S3Refusal(
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`,
    );
  const payloadHash = headerValue(headers, 'x-amz-content-sha256');
  if (!payloadHash)
    throw new S3Refusal(
      400,
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
    );
  return {
    accessKeyId,
    scopeDate,
    region: scopeRegion,
    service,
    amzDate: headerValue(headers, 'x-amz-date') ?? '',
    signedHeaders: signedHeaders.split(';'),
    signature,
    payloadHash,
    token: headerValue(headers, 'x-amz-security-token'),
    query: pairs,
  };
}

/**
 * Checks one request as S3 would; returns the payload hash the body must have (a hex SHA-256 the header
 * signature vouched for), or undefined when the body is not checked (presigned, UNSIGNED-PAYLOAD).
 */
function authenticate(store: IamStore, request: IncomingMessage): string | undefined {
  const [rawPath = '/', rawQuery = ''] = (request.url ?? '/').split(/\?(.*)/s);
  const pairs = queryPairs(rawQuery);
  const query = presigned(pairs, store.region);
  const header = headerSigned(request.headers, pairs, store.region);
  if (query && header)
    throw new S3Refusal(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified',
    );
  const signed = query ?? header;
  if (!signed) throw new S3Refusal(403, 'AccessDenied', 'Access Denied');

  const identity = store.identity(signed.accessKeyId);
  if (!identity)
    throw new S3Refusal(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: signed.accessKeyId,
      },
    );
  if ((identity.credentials.sessionToken ?? undefined) !== (signed.token ?? undefined))
    throw new S3Refusal(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
  if (store.isExpired(identity)) throw new S3Refusal(400, 'ExpiredToken', 'The provided token has expired.');

  const at = amzTime(signed.amzDate);
  if (!at || !signed.amzDate.startsWith(signed.scopeDate))
    throw query
      ? queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
      : new S3Refusal(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  const now = store.now();
  if (query) {
    if (at.getTime() - now.getTime() > MAX_SKEW_MS)
      throw new S3Refusal(403, 'AccessDenied', 'Request is not valid yet');
    const expiresAt = new Date(at.getTime() + query.expires * 1000);
    if (expiresAt.getTime() < now.getTime())
      throw new S3Refusal(403, 'AccessDenied', 'Request has expired', {
        'X-Amz-Expires': String(query.expires),
        Expires: expiresAt.toISOString(),
        ServerTime: now.toISOString(),
      });
  } else if (Math.abs(at.getTime() - now.getTime()) > MAX_SKEW_MS)
    throw new S3Refusal(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      {
        RequestTime: signed.amzDate,
        ServerTime: now.toISOString(),
        MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
      },
    );

  if (!signed.signedHeaders.includes('host'))
    throw new S3Refusal(400, 'AuthorizationQueryParametersError', 'Host must be a signed header');
  const missing = signed.signedHeaders.find((name) => headerValue(request.headers, name) === undefined);
  const { canonicalRequest, toSign } = stringToSign(
    request.method ?? 'GET',
    rawPath,
    request.headers,
    signed,
  );
  const computed = signatureOf(identity.credentials.secretAccessKey, signed, toSign);
  const matches =
    missing === undefined &&
    computed.length === signed.signature.length &&
    timingSafeEqual(Buffer.from(computed, 'hex'), Buffer.from(signed.signature, 'hex'));
  if (!matches)
    throw new S3Refusal(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: signed.accessKeyId,
        StringToSign: toSign,
        SignatureProvided: signed.signature,
        CanonicalRequest: canonicalRequest,
      },
    );
  const length = Number(headerValue(request.headers, 'content-length') ?? '0');
  if (request.method === 'PUT' && length > MAX_PUT_BYTES)
    throw new S3Refusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(length),
      MaxSizeAllowed: String(MAX_PUT_BYTES),
    });
  return header && /^[0-9a-f]{64}$/.test(signed.payloadHash) ? signed.payloadHash : undefined;
}

/**
 * Sends the request on to s3rver. A body whose SHA-256 the signature vouched for is hashed on the way and
 * its last chunk held back until the hash is known: a body that does not match never reaches s3rver whole,
 * so nothing is stored, and S3's XAmzContentSHA256Mismatch is answered instead.
 */
function forward(upstream: URL, request: IncomingMessage, response: ServerResponse, payloadHash?: string) {
  const headers = { ...request.headers };
  // Hop-by-hop: Node answers 100-continue itself; the body is streamed on.
  delete headers.expect;
  const out = httpRequest({
    host: upstream.hostname,
    port: upstream.port,
    method: request.method,
    path: request.url,
    headers,
  });
  let answered = false;
  out.on('response', (upstreamResponse) => {
    answered = true;
    response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
    upstreamResponse.pipe(response);
  });
  out.on('error', () => {
    if (!answered && !response.headersSent) {
      response.writeHead(502);
      response.end();
    } else response.destroy();
  });
  request.on('error', () => out.destroy());
  if (!payloadHash) {
    request.pipe(out);
    return;
  }
  const hash = createHash('sha256');
  let held: Buffer | undefined;
  request.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    if (held) out.write(held);
    held = chunk;
  });
  request.on('end', () => {
    if (hash.digest('hex') === payloadHash) {
      out.end(held);
      return;
    }
    out.destroy();
    refuse(
      response,
      request.method,
      new S3Refusal(
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        {
          ClientComputedContentSHA256: payloadHash,
        },
      ),
    );
  });
}

export interface S3Gate {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Starts the gate on a free port of `host`, in front of s3rver at `upstream`. */
export async function startS3Gate(options: {
  readonly host: string;
  readonly upstream: string;
  readonly iam: IamStore;
}): Promise<S3Gate> {
  const upstream = new URL(options.upstream);
  const server = createServer((request, response) => {
    if (request.method === 'OPTIONS') {
      forward(upstream, request, response);
      return;
    }
    let payloadHash: string | undefined;
    try {
      payloadHash = authenticate(options.iam, request);
    } catch (error) {
      if (!(error instanceof S3Refusal)) throw error;
      // The body is not read: S3 answers as soon as it knows, and closes.
      request.resume();
      refuse(response, request.method, error);
      return;
    }
    forward(upstream, request, response, payloadHash);
  });
  await new Promise<void>((resolve) => server.listen(0, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
