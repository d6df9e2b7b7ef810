import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { boundedConfig, CALL_BOUNDS } from '../lambdas/adapters/aws-clients';
import { clockSchedules, schedules } from '../lib/schedules';

/**
 * The laptop's EventBridge: every schedule of lib/schedules.ts invokes its function through the local
 * Lambda endpoint with the same event, at the same rate, for as long as the stack runs.
 *
 * The clock schedules (EventBridge Scheduler deployed) are told the time the run is due, `{ at }`, read from
 * this scheduler's clock: the real time plus an offset that a test moves forward through a small HTTP API
 * (`POST /clock {"advanceMinutes": n}`), instead of waiting for it. Moving the clock runs every clock
 * schedule once, at the new time, and answers with what each run returned, as the time passing would
 * have; `POST /clock {"reset": true}` returns to the real time. The other schedules keep their own clocks
 * (they act on the present, not on a time they are given) and their real rate.
 */

export interface LocalScheduler {
  /** The clock's HTTP API. */
  readonly url: string;
  stop(): Promise<void>;
}

const ClockCommandSchema = z.union([
  z
    .object({
      advanceMinutes: z
        .number()
        .min(0)
        .max(366 * 24 * 60),
    })
    .strict(),
  z.object({ reset: z.literal(true) }).strict(),
]);

export interface ClockRun {
  readonly schedule: string;
  readonly at: string;
  readonly result?: unknown;
  readonly error?: string;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 4096) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startScheduler(
  log: (line: string) => void,
  host = '127.0.0.1',
): Promise<LocalScheduler> {
  const lambda = new LambdaClient(
    boundedConfig({ ...CALL_BOUNDS.lambda, requestTimeoutMs: 120_000, socketTimeoutMs: 120_000 }),
  );
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);

  const invoke = async (name: string, functionName: string, input: unknown) => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        Payload: new TextEncoder().encode(JSON.stringify(input)),
      }),
    );
    const payload = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
    if (out.FunctionError) throw new Error(`schedule ${name} failed: ${payload}`);
    return JSON.parse(payload) as unknown;
  };

  const runClock = async (name: string, spec: (typeof clockSchedules)[keyof typeof clockSchedules]) => {
    const at = now().toISOString();
    try {
      return { schedule: name, at, result: await invoke(name, spec.function, { at }) } satisfies ClockRun;
    } catch (error) {
      log(`  ${(error as Error).message}`);
      return { schedule: name, at, error: (error as Error).message } satisfies ClockRun;
    }
  };

  const timers = [
    ...Object.entries(schedules).map(([name, spec]) =>
      setInterval(
        () =>
          invoke(name, spec.function, spec.input).catch((error: unknown) =>
            log(`  schedule ${name} failed: ${(error as Error).message}`),
          ),
        spec.everyHours * 3600_000,
      ),
    ),
    ...Object.entries(clockSchedules).map(([name, spec]) =>
      setInterval(() => void runClock(name, spec), spec.everyMinutes * 60_000),
    ),
  ];
  for (const timer of timers) timer.unref();

  const server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url !== '/clock') return answer(404, { error: 'not found' });
    if (request.method === 'GET') return answer(200, { now: now().toISOString(), offsetMs });
    if (request.method !== 'POST') return answer(405, { error: 'GET or POST' });
    readBody(request)
      .then(async (text) => {
        const command = ClockCommandSchema.safeParse(JSON.parse(text || 'null'));
        if (!command.success) return answer(400, { error: z.prettifyError(command.error) });
        if ('reset' in command.data) {
          offsetMs = 0;
          return answer(200, { now: now().toISOString(), offsetMs, runs: [] });
        }
        offsetMs += command.data.advanceMinutes * 60_000;
        const runs: ClockRun[] = [];
        for (const [name, spec] of Object.entries(clockSchedules)) runs.push(await runClock(name, spec));
        return answer(200, { now: now().toISOString(), offsetMs, runs });
      })
      .catch((error: unknown) => answer(400, { error: (error as Error).message }));
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await new Promise<void>((done) => server.close(() => done()));
      lambda.destroy();
    },
  };
}
