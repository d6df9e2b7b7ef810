import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { type InternalFunctionName, internalFunctions } from '../lambdas/routes';
import { handlerAt, lambdaContext } from './lambda-context';

/**
 * The laptop's Lambda service, for functions that other functions invoke (lambdas/routes.ts
 * `internalFunctions`): it answers the Invoke API (`POST /2015-03-31/functions/{name}/invocations`) that
 * @aws-sdk/client-lambda speaks, by calling the very handler module the stack deploys. Handlers find it
 * through AWS_ENDPOINT_URL_LAMBDA, as they find DynamoDB Local and s3rver. It listens on its own port, apart
 * from the gateway: nothing a browser reaches can invoke the certificate authority.
 */

type InvokedHandler = (event: unknown, context: Context) => Promise<unknown>;

const isInternal = (name: string): name is InternalFunctionName => Object.hasOwn(internalFunctions, name);

export async function startLambdaEndpoint(host: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.url ?? '');
    // The SDK sends a name or an ARN; the function name is the ARN's last part.
    const name = decodeURIComponent(match?.[1] ?? '')
      .split(':')
      .pop();
    if (request.method !== 'POST' || !name || !isInternal(name)) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name ?? request.url}` }));
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      handlerAt<InvokedHandler>(internalFunctions[name].entry)
        .then((handler) => handler(body ? JSON.parse(body) : {}, lambdaContext(name, 20_000)))
        .then((result) => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(result ?? null));
        })
        .catch((error: unknown) => {
          // What Lambda does with an unhandled error: 200, X-Amz-Function-Error, the error as the payload.
          const failure = error instanceof Error ? error : new Error(String(error));
          response.writeHead(200, {
            'content-type': 'application/json',
            'x-amz-function-error': 'Unhandled',
          });
          response.end(JSON.stringify({ errorType: failure.name, errorMessage: failure.message }));
        });
    });
  });
  await new Promise<void>((ready) => server.listen(0, host, ready));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${host}:${port}` };
}
