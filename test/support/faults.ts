import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/*
 * Real faults for fault tests, no mocks: the process ids to pause (SIGSTOP) or kill, an endpoint that
 * accepts connections and never answers, and a handler run in a process of its own with the environment a
 * test chooses (an endpoint pointed at that silence).
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');

/** Every process descended from `root` (read from /proc: Linux only, as the local stack's tests are). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
    } catch {
      continue; // gone in the meantime
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() ?? -1) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The JVM of the DynamoDB Local that the stack process `stackPid` runs now. */
export function dynamoDbPid(stackPid: number | undefined): number {
  if (stackPid === undefined) throw new Error('the stack has no process id');
  for (const pid of descendants(stackPid)) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal.jar')) return pid;
    } catch {
      // gone in the meantime
    }
  }
  throw new Error(`no DynamoDB Local under process ${stackPid}`);
}

/** A TCP endpoint that accepts every connection and never answers a byte. */
export async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

export interface InvocationResult {
  readonly statusCode: number;
  readonly body: string;
  /** How long the handler took, measured around the call in the child process. */
  readonly ms: number;
}

/**
 * Runs the handler module `entry` (as in lambdas/routes.ts) on `event` in a fresh Node process with exactly
 * `environment`, as a Lambda container would; `timeoutMs` kills it if it hangs.
 */
export function invokeHandler(
  entry: string,
  event: APIGatewayProxyEventV2,
  environment: Readonly<Record<string, string>>,
  timeoutMs = 90_000,
): Promise<InvocationResult> {
  // An async function rather than top-level await: tsx evaluates `-e` code as CommonJS.
  const script = [
    '(async () => {',
    `const { handler } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, entry)).href)});`,
    `const { lambdaContext } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'local/lambda-context.ts')).href)});`,
    'const context = lambdaContext("docflow-fault-test", 29000);',
    'const started = performance.now();',
    'const result = await handler(JSON.parse(process.env.EVENT), context);',
    'const ms = Math.round(performance.now() - started);',
    'process.stdout.write("\\nRESULT " + JSON.stringify({ statusCode: result.statusCode, body: result.body, ms }));',
    'process.exit(0);',
    '})();',
  ].join('\n');
  return new Promise((resolveResult, reject) => {
    const child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['-e', script], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...environment, EVENT: JSON.stringify(event) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) {
        reject(
          new Error(`the handler did not answer (${code ?? signal}) within ${timeoutMs} ms:\n${output}`),
        );
        return;
      }
      resolveResult(JSON.parse(line.slice('RESULT '.length)) as InvocationResult);
    });
  });
}
