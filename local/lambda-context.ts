import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

/** The context Lambda hands a handler, for handlers the local stack calls in-process. */
export function lambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const repoRoot = resolve(import.meta.dirname, '..');
const handlers = new Map<string, Promise<unknown>>();

/**
 * The `handler` export of a function's entry (relative to the repository root, as in lambdas/routes.ts),
 * imported once: the very module CDK bundles.
 */
export function handlerAt<H>(entry: string): Promise<H> {
  let handler = handlers.get(entry);
  if (!handler) {
    handler = import(pathToFileURL(join(repoRoot, entry)).href).then(
      (module: { handler: H }) => module.handler,
    );
    handlers.set(entry, handler);
  }
  return handler as Promise<H>;
}
