import * as z from 'zod';
import {
  type ExchangeItem,
  type ExchangePort,
  ExchangeRefused,
  ExchangeUnavailable,
  type SentPackage,
} from '../ports/exchange';

/*
 * The exchange over HTTP. The endpoint comes from the configuration (DOCFLOW_EXCHANGE_URL: the LGSP in AWS,
 * local/exchange-simulator.ts on a laptop). Packages stream in both directions: a request body is the
 * package as it is built, a response body is read as it arrives.
 *
 *   POST   /edocs            a package  → 201 {id} | 409 {id} (this DocumentId from this sender, already there)
 *   POST   /statuses         a status   → 201 {id}
 *   GET    /inbox            → [{id, kind}] waiting for the city's organisations
 *   GET    /inbox/{id}       → the item's bytes
 *   DELETE /inbox/{id}       → 204, the item taken
 */

const CreatedSchema = z.object({ id: z.string().min(1) });
const PendingSchema = z.array(z.object({ id: z.string().min(1), kind: z.enum(['document', 'status']) }));
const TIMEOUT_MS = 60_000;

export class HttpExchange implements ExchangePort {
  constructor(
    private readonly endpoint: string,
    private readonly token?: string,
  ) {}

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): HttpExchange {
    const url = env.DOCFLOW_EXCHANGE_URL;
    if (!url) throw new Error('DOCFLOW_EXCHANGE_URL is not set');
    return new HttpExchange(url, env.DOCFLOW_EXCHANGE_TOKEN);
  }

  async sendDocument(body: AsyncIterable<Uint8Array>): Promise<SentPackage> {
    const response = await this.#call('POST', '/edocs', streamOf(body), 'application/xml');
    if (response.status === 409) return { exchangeId: await this.#created(response), duplicate: true };
    return { exchangeId: await this.#created(response), duplicate: false };
  }

  async sendStatus(xml: string): Promise<{ exchangeId: string }> {
    const response = await this.#call('POST', '/statuses', xml, 'application/xml');
    return { exchangeId: await this.#created(response) };
  }

  async pending(): Promise<readonly ExchangeItem[]> {
    const response = await this.#call('GET', '/inbox');
    await this.#expect(response, 200);
    const parsed = PendingSchema.safeParse(await response.json());
    if (!parsed.success)
      throw new ExchangeUnavailable('the exchange answered GET /inbox with an unknown shape');
    return parsed.data;
  }

  async *fetch(id: string): AsyncGenerator<Uint8Array> {
    const response = await this.#call('GET', `/inbox/${encodeURIComponent(id)}`);
    await this.#expect(response, 200);
    if (!response.body) return;
    for await (const chunk of response.body) yield chunk;
  }

  async acknowledge(id: string): Promise<void> {
    const response = await this.#call('DELETE', `/inbox/${encodeURIComponent(id)}`);
    if (response.status === 404) return;
    await this.#expect(response, 204);
  }

  async #call(
    method: string,
    path: string,
    body?: string | ReadableStream<Uint8Array>,
    type?: string,
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (type) headers['content-type'] = type;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    try {
      return await fetch(new URL(path, this.endpoint), {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      throw new ExchangeUnavailable(`${method} ${path}: ${(error as Error).message}`);
    }
  }

  async #created(response: Response): Promise<string> {
    if (response.status !== 201 && response.status !== 409) await this.#expect(response, 201);
    const parsed = CreatedSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ExchangeUnavailable('the exchange did not say the id of what it took');
    return parsed.data.id;
  }

  async #expect(response: Response, status: number): Promise<void> {
    if (response.status === status) return;
    const reason = (await response.text().catch(() => '')).slice(0, 2000);
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)
      throw new ExchangeRefused(response.status, reason);
    throw new ExchangeUnavailable(`the exchange answered ${response.status}: ${reason}`);
  }
}

function streamOf(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
