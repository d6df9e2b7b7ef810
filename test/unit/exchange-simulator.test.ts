import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpExchange } from '../../lambdas/adapters/exchange-client';
import { buildStatus } from '../../lambdas/core/exchange/build';
import { exchangeTimestamp } from '../../lambdas/core/exchange/from-document';
import { ExchangeRefused, ExchangeUnavailable } from '../../lambdas/ports/exchange';
import { type ExchangeSimulator, startExchangeSimulator } from '../../local/exchange-simulator';
import { collect, decisionHeader, decisionPackage, MINISTRY } from '../support/exchange';
import { NOW } from './domain-fixtures';

/*
 * The HTTP adapter of the exchange port against the local exchange simulator (a real HTTP server on
 * localhost): packages stream out and are kept; a retry is the same package, not a second; what the
 * other side sends waits until taken; what the hub refuses is said to be refused.
 */

let dataDir: string;
let simulator: ExchangeSimulator;
let exchange: HttpExchange;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'docflow-exchange-'));
  simulator = await startExchangeSimulator({ dataDir, host: '127.0.0.1' });
  exchange = new HttpExchange(simulator.url);
});
afterAll(async () => {
  await simulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

const sent = async () =>
  (await (await fetch(`${simulator.url}/sent`)).json()) as { id: string; kind: string; status?: string }[];

describe('the exchange adapter and the local simulator', () => {
  it('sends a package once: the retry is told it is a duplicate of the first', async () => {
    const first = await exchange.sendDocument(decisionPackage());
    expect(first.duplicate).toBe(false);
    const again = await exchange.sendDocument(decisionPackage());
    expect(again).toEqual({ exchangeId: first.exchangeId, duplicate: true });
    expect((await sent()).filter((r) => r.kind === 'document')).toHaveLength(1);
    const stored = await (await fetch(`${simulator.url}/sent/${first.exchangeId}`)).text();
    const built = Buffer.from(await collect(decisionPackage())).toString('utf8');
    expect(stored).toBe(built);
  });

  it('is told a malformed package is refused, with the reason', async () => {
    const header = decisionHeader();
    const broken = (async function* () {
      for await (const chunk of decisionPackage(header))
        yield new TextEncoder().encode(
          new TextDecoder()
            .decode(chunk)
            .replace('<edXML:Subject>', '<edXML:Heading>?</edXML:Heading><edXML:Subject>'),
        );
    })();
    const error = await exchange.sendDocument(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeRefused);
    expect((error as ExchangeRefused).reason).toMatch(/exchange_schema_invalid/);
  });

  it('offers what the other side sends until docflow takes it', async () => {
    const response = await fetch(`${simulator.url}/outside/edocs`, {
      method: 'POST',
      body: Buffer.from(await collect(decisionPackage(decisionHeader([{ organId: '000.04.01.H26' }])))),
    });
    expect(response.status).toBe(201);
    const pending = await exchange.pending();
    expect(pending).toHaveLength(1);
    const [item] = pending;
    if (!item) throw new Error('nothing pending');
    expect(item.kind).toBe('document');
    const bytes = Buffer.from(await collect(exchange.fetch(item.id))).toString('utf8');
    expect(bytes).toContain('<edXML:OrganId>000.04.01.H26</edXML:OrganId>');
    await exchange.acknowledge(item.id);
    await exchange.acknowledge(item.id);
    expect(await exchange.pending()).toEqual([]);
  });

  it('keeps the status messages docflow sends, in order', async () => {
    const base = {
      responseFor: {
        organId: MINISTRY.organId,
        code: '15/CV-BNV',
        promulgationDate: '2026/01/05',
        documentId: '000.00.00.G22,2026/01/05,15/CV-BNV',
      },
      from: { organId: '000.04.01.H26' },
      timestamp: exchangeTimestamp(NOW),
    };
    for (const status of ['arrived', 'accepted', 'done'] as const)
      await exchange.sendStatus(buildStatus({ ...base, status }));
    expect((await sent()).filter((r) => r.kind === 'status').map((r) => r.status)).toEqual([
      'arrived',
      'accepted',
      'done',
    ]);
  });

  it('says the exchange is unavailable when nothing answers', async () => {
    const nowhere = new HttpExchange('http://127.0.0.1:9');
    await expect(nowhere.pending()).rejects.toBeInstanceOf(ExchangeUnavailable);
  });
});
