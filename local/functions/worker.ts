import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

/*
 * One local function in its own worker thread: its own process.env (its role's credentials, the
 * environment the template gives it), the very handler module CDK bundles, imported once, and one event
 * at a time or several at once, as the in-process gateway always ran them.
 */

const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('worker.ts runs in a worker thread');

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const REPO_ROOT = join(import.meta.dirname, '..', '..');

function contextFor(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: data.functionArn,
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

const send = (message: FromWorker) => port.postMessage(message);

const loaded: Promise<Handler> = import(pathToFileURL(join(REPO_ROOT, data.entry)).href).then(
  (module: { handler: Handler }) => module.handler,
);
loaded.then(
  () => send({ type: 'ready' }),
  (error: unknown) => send({ type: 'failed', error: serialize(error) }),
);

function serialize(error: unknown): { name: string; message: string; stack?: string } {
  const failure = error instanceof Error ? error : new Error(String(error));
  return { name: failure.name, message: failure.message, ...(failure.stack ? { stack: failure.stack } : {}) };
}

port.on('message', (message: ToWorker) => {
  loaded
    .then((handler) => handler(message.event, contextFor(message.functionName, message.timeoutMs)))
    .then(
      (result) => send({ type: 'result', id: message.id, result }),
      (error: unknown) => send({ type: 'error', id: message.id, error: serialize(error) }),
    );
});
