import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type InternalFunctionName, internalFunctions } from '../lambdas/routes';
import type { FunctionInvoker } from './functions/host';
import { callerOf, type IamStore, identityPolicies, principalContext } from './iam/identities';
import { accessDeniedMessage, decide, type Request } from './iam/policy';
import { AuthenticationError, authenticate } from './iam/sigv4';

/**
 * The laptop's Lambda service, for functions that other functions invoke (lambdas/routes.ts
 * `internalFunctions`): it answers the Invoke API (`POST /2015-03-31/functions/{name}/invocations`) that
 * @aws-sdk/client-lambda speaks, by running the very handler module the stack deploys in that function's
 * own worker (local/functions/host.ts). Handlers find it through AWS_ENDPOINT_URL_LAMBDA, as they find
 * DynamoDB Local and s3rver. It listens on its own port, apart from the gateway: nothing a browser reaches
 * can invoke the certificate authority or the signer. With `iam`, the caller's SigV4 signature is checked
 * and its policies must allow lambda:InvokeFunction on the function, as in AWS.
 */

export interface LambdaEndpointOptions {
  readonly host: string;
  readonly invoke: FunctionInvoker;
  readonly iam?: IamStore;
}

const isInternal = (name: string): name is InternalFunctionName => Object.hasOwn(internalFunctions, name);

const AUTHENTICATION_ERRORS: Record<AuthenticationError['failure'], string> = {
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  UnrecognizedClient: 'UnrecognizedClientException',
  InvalidSignature: 'InvalidSignatureException',
  ExpiredToken: 'ExpiredTokenException',
};

function refuse(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ Type: 'User', message }));
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Whether the caller may invoke `name`; answers the refusal itself when not. */
async function allowed(
  options: LambdaEndpointOptions,
  request: IncomingMessage,
  body: Buffer,
  name: string,
  response: ServerResponse,
): Promise<boolean> {
  const iam = options.iam;
  if (!iam) return true;
  let identity: Awaited<ReturnType<typeof authenticate>>;
  try {
    identity = await authenticate(
      iam,
      { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body },
      'lambda',
    );
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    refuse(response, 403, AUTHENTICATION_ERRORS[error.failure], error.message);
    return false;
  }
  const check: Request = {
    action: 'lambda:InvokeFunction',
    resource: `arn:aws:lambda:${iam.region}:${iam.accountId}:function:${name}`,
    caller: callerOf(identity),
    context: principalContext(identity, iam.now()),
  };
  const decision = decide(identityPolicies(identity), undefined, check);
  if (decision.allowed) return true;
  refuse(response, 403, 'AccessDeniedException', accessDeniedMessage(check, decision));
  return false;
}

export async function startLambdaEndpoint(
  options: LambdaEndpointOptions,
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.url ?? '');
    // The SDK sends a name or an ARN; the function name is the ARN's last part.
    const name = decodeURIComponent(match?.[1] ?? '')
      .split(':')
      .pop();
    if (request.method !== 'POST' || !name || !isInternal(name)) {
      response.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'ResourceNotFoundException',
      });
      response.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name ?? request.url}` }));
      return;
    }
    readBody(request)
      .then(async (raw) => {
        if (!(await allowed(options, request, raw, name, response))) return;
        const body = raw.toString('utf8');
        try {
          const result = await options.invoke(name, body ? JSON.parse(body) : {}, {
            functionName: name,
            timeoutMs: 20_000,
          });
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(result ?? null));
        } catch (error) {
          // What Lambda does with an unhandled error: 200, X-Amz-Function-Error, the error as the payload.
          const failure = error instanceof Error ? error : new Error(String(error));
          response.writeHead(200, {
            'content-type': 'application/json',
            'x-amz-function-error': 'Unhandled',
          });
          response.end(JSON.stringify({ errorType: failure.name, errorMessage: failure.message }));
        }
      })
      .catch((error: unknown) => {
        console.error('lambda endpoint: failed to answer a request', error);
        response.destroy();
      });
  });
  await new Promise<void>((ready) => server.listen(0, options.host, ready));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${options.host}:${port}` };
}
