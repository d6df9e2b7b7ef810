import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import type { IamStore } from './iam/identities';

/*
 * S3's request authentication in front of s3rver, which accepts any request (it only looks up the access
 * key, never the signature or a presigned URL's expiry). Every request is checked as S3 checks it before
 * s3rver sees it:
 * - Signature Version 4 in the Authorization header (the functions' SDK clients): known key, session token,
 *   date within 15 minutes, the signature over the canonical request, and the body against the
 *   x-amz-content-sha256 it was signed with;
 * - a presigned URL (query-string SigV4: the web's and the tests' downloads; S3 takes presigned PUTs too): the same, plus
 *   X-Amz-Expires (at most a week) counted from X-Amz-Date. The signature covers the method, the bucket and
 *   key, every query parameter (the expiry included) and the signed headers (an upload's Content-Type), so
 *   a URL used for another key, another method, another type or a later expiry does not match;
 * - anything else is anonymous, and the buckets are private: AccessDenied.
 * Refusals are S3's own XML errors (AccessDenied, SignatureDoesNotMatch, …). CORS preflights (OPTIONS)
 * pass: S3 answers them from the bucket's CORS rules without authentication. A presigned PUT carries no
 * size bound (only a presigned POST's policy can); the largest single PUT S3 takes is 5 GiB.
 * - a browser-based upload (POST of a multipart form to the bucket, docflow's uploads): the policy's SigV4
 *   signature (the credential's signing key over the base64 policy), its expiration, and every condition
 *   (each form field before the file must be allowed by one; the exact key, the Content-Type, the bucket,
 *   and the file's size against content-length-range: EntityTooLarge / EntityTooSmall), as S3 does.
 *   s3rver takes POST object uploads itself (it reads the key and Content-Type fields and ignores the
 *   policy), so a checked form is passed on unchanged.
 */

const MAX_SKEW_MS = 15 * 60_000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
const MAX_PUT_BYTES = 5 * 1024 ** 3;
const UNSIGNED = 'UNSIGNED-PAYLOAD';
/**
 * The largest form the gate reads (S3 takes POST uploads up to 5 GiB). Locally the form is held in memory
 * to check it, so this is bounded by what docflow ever allows (a file to verify: 128 MiB) plus room.
 */
const MAX_POST_BYTES = 160 * 1024 ** 2;

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
 * A fresh connection to s3rver for every request, never an idle kept-alive one: s3rver closes those after
 * 5 s, and a request sent on one just as it closes would fail (a 502 or a cut body: "other side closed"
 * for a presigned download under load). Loopback connections cost next to nothing.
 */
const UPSTREAM = new Agent({ keepAlive: false });

/**
 * How long a client's idle connection stays open: far longer than Node's 5 s, as S3's own endpoints keep
 * them. Clients (the SDK, fetch) reuse an idle connection until shortly before the server's announced
 * timeout; with 5 s, a client whose event loop was busy for a moment under load sent its next request on a
 * connection the gate was closing at that instant, and saw it fail ("other side closed").
 */
const CLIENT_KEEP_ALIVE_MS = 65_000;

/** Headers about one connection (RFC 9110 §7.6.1), which a proxy does not pass on. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

/**
 * The upstream answer passed on, without s3rver's connection headers: the client's connection is the
 * gate's (kept alive by the gate's own rules), not s3rver's. If either side breaks off, so does the other.
 */
function relay(upstreamResponse: IncomingMessage, response: ServerResponse) {
  const headers = { ...upstreamResponse.headers };
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  for (const name of [...HOP_BY_HOP, ...named]) delete headers[name];
  response.writeHead(upstreamResponse.statusCode ?? 502, headers);
  pipeline(upstreamResponse, response, () => undefined);
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
    agent: UPSTREAM,
  });
  let answered = false;
  out.on('response', (upstreamResponse) => {
    answered = true;
    relay(upstreamResponse, response);
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

/** A browser-based upload: a POST of a multipart form, authenticated by its policy, not by a header. */
const isFormUpload = (request: IncomingMessage) =>
  request.method === 'POST' &&
  /^multipart\/form-data/i.test(headerValue(request.headers, 'content-type') ?? '') &&
  headerValue(request.headers, 'authorization') === undefined &&
  !(request.url ?? '').includes('X-Amz-Algorithm=');

const policyError = (message: string) =>
  new S3Refusal(403, 'AccessDenied', `Invalid according to Policy: ${message}`);

type PolicyCondition = Readonly<Record<string, unknown>> | readonly unknown[];

/** Reads the whole form (refusing one over MAX_POST_BYTES without storing anything). */
async function readForm(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(headerValue(request.headers, 'content-length') ?? '0');
  const tooLarge = (size: number) =>
    new S3Refusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(size),
      MaxSizeAllowed: String(MAX_POST_BYTES),
    });
  if (declared > MAX_POST_BYTES) throw tooLarge(declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_POST_BYTES) throw tooLarge(size);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Checks a POST upload as S3 does: the fields before the file (S3 ignores what follows it), the policy's
 * signature and expiration, then every condition against the fields and the file's size.
 */
async function authenticateForm(store: IamStore, request: IncomingMessage, body: Buffer): Promise<void> {
  const [rawPath = '/'] = (request.url ?? '/').split('?');
  const bucket = decode(rawPath.split('/')[1] ?? '');
  let form: FormData;
  try {
    form = await new Response(body, {
      headers: { 'content-type': headerValue(request.headers, 'content-type') ?? '' },
    }).formData();
  } catch {
    throw new S3Refusal(
      400,
      'MalformedPOSTRequest',
      'The body of your POST request is not well-formed multipart/form-data.',
    );
  }
  const entries = [...form.entries()];
  const at = entries.findIndex(([name]) => name.toLowerCase() === 'file');
  const file = at === -1 ? undefined : entries[at]?.[1];
  if (file === undefined)
    throw new S3Refusal(400, 'InvalidArgument', 'POST requires exactly one file upload per request.', {
      ArgumentName: 'file',
      ArgumentValue: '0',
    });
  const fileSize = typeof file === 'string' ? Buffer.byteLength(file) : file.size;
  // Field names are case-insensitive; a field given twice is refused as S3 refuses it.
  const fields = new Map<string, string>();
  for (const [name, value] of entries.slice(0, at)) {
    const lower = name.toLowerCase();
    if (typeof value !== 'string' || fields.has(lower))
      throw new S3Refusal(
        400,
        'InvalidArgument',
        `Field ${name} is given more than once or is not a text field.`,
      );
    fields.set(lower, value);
  }
  const field = (name: string) => fields.get(name);
  const policyText = field('policy');
  const signature = field('x-amz-signature');
  const credential = field('x-amz-credential');
  const amzDate = field('x-amz-date');
  if (!policyText || !signature || !credential || !amzDate) {
    if (!policyText) throw new S3Refusal(403, 'AccessDenied', 'Access Denied');
    throw new S3Refusal(
      400,
      'InvalidArgument',
      'Bucket POST must contain the fields X-Amz-Signature, X-Amz-Credential and X-Amz-Date.',
    );
  }
  if (field('x-amz-algorithm') !== 'AWS4-HMAC-SHA256')
    throw new S3Refusal(400, 'InvalidArgument', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const parts = CREDENTIAL.exec(credential);
  if (!parts)
    throw new S3Refusal(
      400,
      'InvalidArgument',
      'The X-Amz-Credential field is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  const [, accessKeyId = '', scopeDate = '', region = '', service = ''] = parts;
  if (region !== store.region || service !== 's3')
    throw new S3Refusal(
      400,
      'AuthorizationQueryParametersError',
      `The credential's scope names region '${region}' and service '${service}'; expecting '${store.region}' and 's3'.`,
    );
  const identity = store.identity(accessKeyId);
  if (!identity)
    throw new S3Refusal(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: accessKeyId,
      },
    );
  if ((identity.credentials.sessionToken ?? undefined) !== (field('x-amz-security-token') ?? undefined))
    throw new S3Refusal(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
  if (store.isExpired(identity)) throw new S3Refusal(400, 'ExpiredToken', 'The provided token has expired.');

  // The signature is SigV4's over the base64 policy itself, with the credential's signing key.
  const computed = signatureOf(
    identity.credentials.secretAccessKey,
    { scopeDate, region, service } as Signed,
    policyText,
  );
  if (
    !/^[0-9a-f]{64}$/.test(signature) ||
    !timingSafeEqual(Buffer.from(computed, 'hex'), Buffer.from(signature, 'hex'))
  )
    throw new S3Refusal(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: accessKeyId,
        StringToSign: policyText,
        SignatureProvided: signature,
      },
    );

  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')) as typeof policy;
  } catch {
    throw new S3Refusal(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const expiration = typeof policy.expiration === 'string' ? new Date(policy.expiration) : undefined;
  if (!expiration || Number.isNaN(expiration.getTime()) || !Array.isArray(policy.conditions))
    throw new S3Refusal(
      400,
      'InvalidPolicyDocument',
      'Invalid Policy: the policy needs an expiration and conditions.',
    );
  if (expiration.getTime() < store.now().getTime()) throw policyError('Policy expired.');

  // The bucket is a field of the policy's world even when the form does not send it.
  const values = new Map(fields);
  values.set('bucket', bucket);
  const covered = new Set<string>(['bucket']);
  const conditions = policy.conditions as PolicyCondition[];
  for (const condition of conditions) {
    const shown = JSON.stringify(condition);
    if (Array.isArray(condition)) {
      const [op, name, value] = condition as unknown[];
      if (op === 'content-length-range') {
        const min = Number(name);
        const max = Number(value);
        if (fileSize > max)
          throw new S3Refusal(
            400,
            'EntityTooLarge',
            'Your proposed upload exceeds the maximum allowed size',
            {
              ProposedSize: String(fileSize),
              MaxSizeAllowed: String(max),
            },
          );
        if (fileSize < min)
          throw new S3Refusal(
            400,
            'EntityTooSmall',
            'Your proposed upload is smaller than the minimum allowed size',
            {
              ProposedSize: String(fileSize),
              MinSizeAllowed: String(min),
            },
          );
        continue;
      }
      if (
        (op !== 'eq' && op !== 'starts-with') ||
        typeof name !== 'string' ||
        !name.startsWith('$') ||
        typeof value !== 'string'
      )
        throw new S3Refusal(400, 'InvalidPolicyDocument', `Invalid Policy: Invalid condition ${shown}.`);
      const key = name.slice(1).toLowerCase();
      covered.add(key);
      const given = values.get(key) ?? '';
      if (op === 'eq' ? given !== value : !given.startsWith(value))
        throw policyError(`Policy Condition failed: ${shown}`);
      continue;
    }
    const pairs = Object.entries(condition as Record<string, unknown>);
    if (pairs.length !== 1 || typeof pairs[0]?.[1] !== 'string')
      throw new S3Refusal(400, 'InvalidPolicyDocument', `Invalid Policy: Invalid condition ${shown}.`);
    const [name, value] = pairs[0] as [string, string];
    const key = name.toLowerCase();
    covered.add(key);
    if ((values.get(key) ?? '') !== value)
      throw policyError(`Policy Condition failed: ["eq", "$${name}", "${value}"]`);
  }
  // Every field but these must be allowed by a condition.
  const extra = [...fields.keys()].filter(
    (name) =>
      !covered.has(name) &&
      !['policy', 'x-amz-signature', 'file'].includes(name) &&
      !name.startsWith('x-ignore-'),
  );
  if (extra.length > 0) throw policyError(`Extra input fields: ${extra.join(', ')}`);
  if (!field('key'))
    throw new S3Refusal(400, 'InvalidArgument', "Bucket POST must contain a field named 'key'.");
}

/** Passes a checked form on to s3rver as it came. */
function forwardForm(upstream: URL, request: IncomingMessage, response: ServerResponse, body: Buffer) {
  const headers = { ...request.headers, 'content-length': String(body.length) };
  delete headers.expect;
  delete headers['transfer-encoding'];
  const out = httpRequest({
    host: upstream.hostname,
    port: upstream.port,
    method: 'POST',
    path: request.url,
    headers,
    agent: UPSTREAM,
  });
  out.on('response', (upstreamResponse) => relay(upstreamResponse, response));
  out.on('error', () => {
    if (!response.headersSent) {
      response.writeHead(502);
      response.end();
    } else response.destroy();
  });
  out.end(body);
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
    if (isFormUpload(request)) {
      readForm(request)
        .then(async (body) => {
          await authenticateForm(options.iam, request, body);
          forwardForm(upstream, request, response, body);
        })
        .catch((error: unknown) => {
          if (!(error instanceof S3Refusal)) {
            response.destroy();
            return;
          }
          request.resume();
          refuse(response, request.method, error);
        });
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
  server.keepAliveTimeout = CLIENT_KEEP_ALIVE_MS;
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
