import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeKey } from '../../lambdas/routes';
import { apiEvent, authorizerClaims } from '../../local/gateway';
import { api, login, stack, useStack } from '../support/api';
import { blackHole, dynamoDbPid, type InvocationResult, invokeHandler } from '../support/faults';
import { authorize, CITY, draft, get, post, toSign, type View } from '../support/flow';
import { type RunningStack, startStackProcess } from '../support/global-setup';

/**
 * Real faults on a stack of its own: DynamoDB Local's JVM paused (SIGSTOP) and killed (SIGKILL), KMS and S3
 * endpoints that accept connections and never answer. Every request still gets an answer in bounded time
 * (the SDK clients' bounds, lambdas/adapters/aws-clients.ts), health names the silent service within 2 s,
 * and a DynamoDB Local that dies is restarted with its data, or the stack stops saying why.
 */

// Lambda's 29 s (lib/constructs/docflow-function.ts) less a margin: what "bounded" must mean here.
const WITHIN_FUNCTION_TIMEOUT_MS = 25_000;

let running: RunningStack;
beforeAll(async () => {
  running = await startStackProcess();
  useStack(running.info);
}, 120_000);
afterAll(async () => {
  useStack(undefined);
  await running?.stop();
});

/** Runs `during` with DynamoDB Local's JVM stopped; it is resumed after `during`, or after `maxMs` at most. */
async function withDynamoDbPaused<T>(during: () => Promise<T>, maxMs = 40_000): Promise<T> {
  const pid = dynamoDbPid(running.pid);
  process.kill(pid, 'SIGSTOP');
  const resume = () => process.kill(pid, 'SIGCONT');
  const timer = setTimeout(resume, maxMs);
  try {
    return await during();
  } finally {
    clearTimeout(timer);
    resume();
  }
}

/** A document's view without what changes on every read (a fresh presigned upload URL). */
async function viewOf(userId: string, id: string): Promise<View> {
  const { upload: _fresh, ...view } = await get(userId, `/api/documents/${id}`);
  return view;
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

/** The event API Gateway would send for `method template` as `userId`. */
async function eventFor(
  method: 'GET' | 'POST',
  template: string,
  options: { id?: string; userId?: string; body?: unknown } = {},
) {
  const token = options.userId ? await login(options.userId) : undefined;
  const claims = token
    ? authorizerClaims(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')))
    : undefined;
  return apiEvent({
    method,
    url: new URL(template.replace('{id}', options.id ?? ''), stack().url),
    routeKey: routeKey({ method, path: template }),
    pathParameters: options.id ? { id: options.id } : undefined,
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: Buffer.from(options.body === undefined ? '' : JSON.stringify(options.body)),
    claims,
  });
}

describe('DynamoDB Local that does not answer (its JVM stopped)', () => {
  it('health answers within 2 s: 503, naming DynamoDB', async () => {
    await api('GET', '/api/health'); // warm: the first call loads the handler module
    const { result, ms } = await withDynamoDbPaused(() =>
      timed(() =>
        api<{ status: string; services: Record<string, { status: string; detail?: string }> }>(
          'GET',
          '/api/health',
        ),
      ),
    );
    expect(ms).toBeLessThan(2_000);
    expect(result.status).toBe(503);
    expect(result.body.status).toBe('degraded');
    expect(result.body.services.dynamodb?.status).toBe('down');
    expect(result.body.services.dynamodb?.detail).toMatch(/no answer/);
    expect(result.body.services.s3?.status).toBe('up');
    expect(result.body.services.kms?.status).toBe('up');
  });

  it('a write with an Idempotency-Key gives up within the function’s time, and a retry is answered', async () => {
    const token = await login('city-specialist');
    const key = randomUUID();
    const create = () =>
      api<View>('POST', '/api/documents', {
        token,
        body: { title: 'Văn bản thử khi DynamoDB không trả lời', docType: 'cong-van' },
        headers: { 'idempotency-key': key },
      });
    const { result, ms } = await withDynamoDbPaused(() => timed(create));
    expect(ms).toBeLessThan(WITHIN_FUNCTION_TIMEOUT_MS);
    expect(result.status).toBeGreaterThanOrEqual(500);
    // Back up: the same request is done (201), or its first try is still recorded as running (409).
    const retry = await create();
    expect([201, 409]).toContain(retry.status);
    expect((await api('GET', '/api/health')).status).toBe(200);
  }, 60_000);
});

describe('KMS and S3 that accept connections and never answer', () => {
  const silentEnvironment = async (service: 'KMS' | 'S3') => {
    const hole = await blackHole();
    return { hole, environment: { ...stack().environment, [`AWS_ENDPOINT_URL_${service}`]: hole.url } };
  };

  it('health answers within 2 s: 503, naming KMS', async () => {
    const { hole, environment } = await silentEnvironment('KMS');
    try {
      const result = await invokeHandler(
        'lambdas/handlers/system.ts',
        await eventFor('GET', '/api/health'),
        environment,
      );
      expect(result.ms).toBeLessThan(2_000);
      expect(result.statusCode).toBe(503);
      const body = JSON.parse(result.body) as { services: Record<string, { status: string }> };
      expect(body.services).toMatchObject({ kms: { status: 'down' }, dynamodb: { status: 'up' } });
    } finally {
      await hole.close();
    }
  }, 60_000);

  it('signing gives up within the function’s time, changes nothing, and signs once KMS answers', async () => {
    const id = await toSign(CITY);
    const prepared = await post(CITY.signer, `/api/documents/${id}/signature-requests`, CITY.capacity);
    await authorize(CITY.signer, [prepared.requestId]);
    const before = await viewOf(CITY.signer, id);
    const body = { requestId: prepared.requestId };
    const { hole, environment } = await silentEnvironment('KMS');
    let result: InvocationResult;
    try {
      result = await invokeHandler(
        'lambdas/handlers/signing.ts',
        await eventFor('POST', '/api/documents/{id}/sign', { id, userId: CITY.signer, body }),
        environment,
      );
    } finally {
      await hole.close();
    }
    expect(result.ms).toBeLessThan(WITHIN_FUNCTION_TIMEOUT_MS);
    expect(result.statusCode, result.body).toBeGreaterThanOrEqual(500);
    expect(await viewOf(CITY.signer, id)).toEqual(before);
    // The same authorized request, once KMS answers: signed once.
    const signed = await post(CITY.signer, `/api/documents/${id}/sign`, body);
    expect(signed.signatures).toHaveLength(1);
  }, 120_000);

  it('recording an upload gives up within the function’s time when S3 does not answer', async () => {
    const created = await post('city-specialist', '/api/documents', {
      title: 'Văn bản thử khi S3 không trả lời',
      docType: 'cong-van',
    });
    const { hole, environment } = await silentEnvironment('S3');
    let result: InvocationResult;
    try {
      result = await invokeHandler(
        'lambdas/handlers/signing.ts',
        await eventFor('POST', '/api/documents/{id}/content', {
          id: created.id,
          userId: 'city-specialist',
          body: {},
        }),
        environment,
      );
    } finally {
      await hole.close();
    }
    expect(result.ms).toBeLessThan(WITHIN_FUNCTION_TIMEOUT_MS);
    expect(result.statusCode, result.body).toBeGreaterThanOrEqual(500);
  }, 120_000);
});

describe('DynamoDB Local that dies', () => {
  it('is restarted on the same port with its data, and the circulation goes on', async () => {
    const before = await draft({ title: 'Dự thảo trước khi DynamoDB Local dừng' });
    const view = await viewOf('city-specialist', before);
    const pid = dynamoDbPid(running.pid);
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 60_000;
    while ((await api('GET', '/api/health')).status !== 200) {
      if (Date.now() > deadline) throw new Error(`not back within 60 s:\n${running.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(dynamoDbPid(running.pid)).not.toBe(pid);
    expect(running.output()).toMatch(/DynamoDB Local stopped unexpectedly \(signal SIGKILL\); restarting it/);
    expect(running.output()).toMatch(/DynamoDB Local is back in/);
    expect(await viewOf('city-specialist', before)).toEqual(view);
    const after = await draft({ title: 'Dự thảo sau khi DynamoDB Local chạy lại' });
    expect((await get('city-specialist', `/api/documents/${after}`)).state).toBe(view.state);
  }, 120_000);

  it('dying again and again stops the stack with the reason', async () => {
    // The stack allows 3 restarts within 5 minutes (local/services.ts); one died in the test above.
    for (let kill = 0; kill < 3; kill++) {
      const pid = dynamoDbPid(running.pid);
      process.kill(pid, 'SIGKILL');
      if (kill === 2) break;
      const deadline = Date.now() + 60_000;
      while (dynamoDbPidOrUndefined() === pid || (await api('GET', '/api/health')).status !== 200) {
        if (Date.now() > deadline) throw new Error(`not back within 60 s:\n${running.output().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const code = await Promise.race([
      running.exited,
      new Promise<'running'>((r) => setTimeout(() => r('running'), 30_000)),
    ]);
    expect(code).toBe(1);
    expect(running.output()).toMatch(/DynamoDB Local stopped \(signal SIGKILL\) 4 times within 5 minutes/);
    expect(running.output()).toMatch(/stopping the local stack/);
  }, 180_000);
});

function dynamoDbPidOrUndefined(): number | undefined {
  try {
    return dynamoDbPid(running.pid);
  } catch {
    return undefined;
  }
}
