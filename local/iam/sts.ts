import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { iamAction } from './iam-api';
import { type IamStore, type Identity, type Role, SESSION_NAME } from './identities';
import { evaluate, MalformedPolicy, type Request } from './policy';
import { errorResponse, isoSeconds, QueryError, queryResponse } from './query';
import { AuthenticationError, authenticate } from './sigv4';
import { WebIdentityError, WebIdentityVerifier } from './web-identity';

/*
 * The laptop's STS (and the few IAM operations an operator or a test needs), speaking the AWS Query
 * protocol as @aws-sdk/client-sts and client-iam send it: form-encoded `Action=…` bodies, XML answers in
 * STS's shapes, its error codes. AssumeRoleWithWebIdentity is unsigned, as in AWS: the token is the
 * credential. Every other action is SigV4-signed by a known identity.
 */

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const MAX_BODY_BYTES = 64 * 1024;

const AUTHENTICATION_CODES: Record<AuthenticationError['failure'], string> = {
  MissingAuthenticationToken: 'MissingAuthenticationToken',
  IncompleteSignature: 'IncompleteSignature',
  UnrecognizedClient: 'InvalidClientTokenId',
  InvalidSignature: 'SignatureDoesNotMatch',
  ExpiredToken: 'ExpiredToken',
};

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new QueryError('ValidationError', 'Request body too large', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface StsOptions {
  readonly iam: IamStore;
  readonly host: string;
  readonly verifier?: WebIdentityVerifier;
}

/** Starts the local STS/IAM endpoint: AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_IAM point at it. */
export async function startSts(
  options: StsOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const verifier = options.verifier ?? new WebIdentityVerifier(options.iam);
  const server = createServer((request, response) => {
    handle(options.iam, verifier, request, response).catch((error: unknown) => {
      console.error('local STS: failed to answer a request', error);
      response.destroy();
    });
  });
  await new Promise<void>((ready, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => ready());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeIdleConnections();
      }),
  };
}

async function handle(
  iam: IamStore,
  verifier: WebIdentityVerifier,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let namespace = STS_NS;
  try {
    if (request.method !== 'POST') throw new QueryError('InvalidAction', 'Only POST is supported', 405);
    const raw = await readBody(request);
    const params = new URLSearchParams(raw.toString('utf8'));
    const action = params.get('Action') ?? '';
    let result: { xml: string };
    if (action === 'AssumeRoleWithWebIdentity') {
      result = { xml: await assumeRoleWithWebIdentity(iam, verifier, params) };
    } else if (action === 'GetCallerIdentity') {
      const identity = await signedBy(iam, request, raw, 'sts');
      result = {
        xml: queryResponse(
          action,
          { Arn: identity.arn, UserId: identity.principalId, Account: identity.accountId },
          STS_NS,
        ),
      };
    } else {
      const handler = iamAction(action);
      if (!handler) throw new QueryError('InvalidAction', `Could not find operation ${action} for version`);
      namespace = 'https://iam.amazonaws.com/doc/2010-05-08/';
      const identity = await signedBy(iam, request, raw, 'iam');
      result = { xml: handler(iam, identity, params) };
    }
    response.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
    response.end(result.xml);
  } catch (error) {
    const failure =
      error instanceof QueryError
        ? error
        : error instanceof MalformedPolicy
          ? new QueryError('MalformedPolicyDocument', error.message)
          : undefined;
    if (!failure) throw error;
    response.writeHead(failure.status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
    response.end(errorResponse(failure, namespace));
  }
}

async function signedBy(
  iam: IamStore,
  request: IncomingMessage,
  body: Buffer,
  service: string,
): Promise<Identity> {
  try {
    return await authenticate(
      iam,
      { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body },
      service,
    );
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    throw new QueryError(AUTHENTICATION_CODES[error.failure], error.message, 403);
  }
}

const required = (params: URLSearchParams, name: string): string => {
  const value = params.get(name);
  if (value === null || value === '')
    throw new QueryError(
      'ValidationError',
      `1 validation error detected: Value null at '${name[0]?.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
};

const NOT_AUTHORIZED = 'Not authorized to perform sts:AssumeRoleWithWebIdentity';

async function assumeRoleWithWebIdentity(
  iam: IamStore,
  verifier: WebIdentityVerifier,
  params: URLSearchParams,
): Promise<string> {
  const roleArn = required(params, 'RoleArn');
  const sessionName = required(params, 'RoleSessionName');
  const token = required(params, 'WebIdentityToken');
  if (!SESSION_NAME.test(sessionName))
    throw new QueryError(
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  if (token.length < 4 || token.length > 20_000)
    throw new QueryError(
      'ValidationError',
      "Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000",
    );
  if (params.has('Policy') || params.has('PolicyArns.member.1'))
    throw new QueryError('ValidationError', 'Session policies are not supported by the local STS');
  const durationSeconds = Number(params.get('DurationSeconds') ?? '3600');
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43_200)
    throw new QueryError(
      'ValidationError',
      "Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200",
    );

  let verified: Awaited<ReturnType<WebIdentityVerifier['verify']>>;
  try {
    verified = await verifier.verify(token);
  } catch (error) {
    if (!(error instanceof WebIdentityError)) throw error;
    const code = error.code === 'ExpiredTokenException' ? 'ExpiredTokenException' : error.code;
    throw new QueryError(code, error.message, 400);
  }
  const role = iam.roleByArn(roleArn);
  if (!role) throw new QueryError('AccessDenied', NOT_AUTHORIZED, 403);
  if (durationSeconds > role.maxSessionDurationSeconds)
    throw new QueryError(
      'ValidationError',
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  trust(role, verified, sessionName, iam);

  const identity = iam.startSession(role, sessionName, {
    durationSeconds,
    tags: verified.sessionTags,
    webIdentity: { provider: verified.provider.arn, subject: verified.subject },
  });
  const { credentials } = identity;
  return queryResponse(
    'AssumeRoleWithWebIdentity',
    {
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: credentials.expiration,
      },
      SubjectFromWebIdentityToken: verified.subject,
      AssumedRoleUser: { AssumedRoleId: identity.principalId, Arn: identity.arn },
      PackedPolicySize: Object.keys(verified.sessionTags).length > 0 ? 1 : undefined,
      Provider: verified.provider.url,
      Audience: verified.audience,
    },
    STS_NS,
  );
}

/**
 * The role's trust policy must let this provider's web identity assume it (sts:AssumeRoleWithWebIdentity)
 * and, when the token carries session tags, tag the session (sts:TagSession), under its conditions on
 * `<provider>:aud`, `<provider>:sub` and the tags.
 */
function trust(
  role: Role,
  verified: Awaited<ReturnType<WebIdentityVerifier['verify']>>,
  sessionName: string,
  iam: IamStore,
): void {
  const tags = verified.sessionTags;
  const now = iam.now();
  const context: Record<string, string | string[]> = {
    [`${verified.provider.url}:aud`]: verified.audience,
    [`${verified.provider.url}:sub`]: verified.subject,
    'aws:FederatedProvider': verified.provider.arn,
    'sts:RoleSessionName': sessionName,
    'aws:CurrentTime': isoSeconds(now),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:SecureTransport': 'false',
    'aws:SourceIp': '127.0.0.1',
  };
  const audiences = verified.claims.aud;
  if (Array.isArray(audiences)) context[`${verified.provider.url}:oaud`] = audiences;
  if (Object.keys(tags).length > 0) {
    context['aws:TagKeys'] = Object.keys(tags);
    for (const [key, value] of Object.entries(tags)) context[`aws:RequestTag/${key}`] = value;
  }
  const caller = {
    arn: verified.provider.arn,
    accountId: iam.accountId,
    federatedProvider: verified.provider.arn,
  };
  const asks = ['sts:AssumeRoleWithWebIdentity', ...(Object.keys(tags).length > 0 ? ['sts:TagSession'] : [])];
  for (const action of asks) {
    const request: Request = { action, resource: role.arn, caller, context };
    const result = evaluate([role.trustPolicy], request);
    if (result.deny || !result.allow) throw new QueryError('AccessDenied', NOT_AUTHORIZED, 403);
  }
}
