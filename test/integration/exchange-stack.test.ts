import { describe, expect, inject, it } from 'vitest';
import { HttpExchange } from '../../lambdas/adapters/exchange-client';
import { collect, decisionPackage } from '../support/exchange';

/*
 * The local stack starts the national document exchange simulator and gives every function its address
 * (DOCFLOW_EXCHANGE_URL), as a deployment gives them the LGSP's.
 */

const stack = inject('stack');

describe('the exchange in the local stack', () => {
  it('runs the simulator and tells the functions where it is', async () => {
    const url = stack.services.exchange;
    expect(url).toMatch(/^http:\/\//);
    for (const identity of Object.values(stack.functions))
      expect(identity.environment.DOCFLOW_EXCHANGE_URL).toBe(url);
    const exchange = new HttpExchange(url);
    const { exchangeId, duplicate } = await exchange.sendDocument(decisionPackage());
    expect(duplicate).toBe(false);
    const sent = (await (await fetch(`${url}/sent`)).json()) as { id: string }[];
    expect(sent.map((r) => r.id)).toContain(exchangeId);
    const stored = await (await fetch(`${url}/sent/${exchangeId}`)).arrayBuffer();
    expect(Buffer.from(stored).equals(Buffer.from(await collect(decisionPackage())))).toBe(true);
  });
});
