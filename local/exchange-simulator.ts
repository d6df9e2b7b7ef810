import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../lambdas/core/errors';
import { parsePackage, parseStatus } from '../lambdas/core/exchange/parse';
import { schemaCheck } from '../lambdas/core/exchange/validate';
import { exchangeMessages } from '../lambdas/core/i18n/exchange';

/*
 * The national document exchange on a laptop. It speaks the protocol adapters/exchange-client.ts uses
 * (docflow sends packages and statuses, collects what waits for the city), checks what it is sent as the
 * hub does (the edXML schema; a DocumentId already sent by the same agency is a duplicate, answered 409),
 * keeps every item on disk, and lets tests play the other side:
 *
 *   GET  /sent, GET /sent/{id}          what docflow sent, oldest first (summary; the bytes)
 *   POST /outside/edocs[?unchecked]     a package from an external agency, offered to docflow (unchecked:
 *                                       passed on as it is, for tests of malformed packages)
 *   POST /outside/statuses              a status message from an external agency, offered to docflow
 */

const SCHEMA = readFile(resolve(import.meta.dirname, '../lambdas/core/exchange/qcvn-102-2016.xsd'), 'utf8');

export interface ExchangeRecord {
  readonly id: string;
  readonly kind: 'document' | 'status';
  /** `docflow`: sent by docflow; `outside`: offered to docflow by another agency. */
  readonly direction: 'docflow' | 'outside';
  readonly from: string;
  readonly to: readonly string[];
  readonly documentId: string;
  /** A status message's status (`arrived`, `refused`…). */
  readonly status?: string;
  readonly description?: string;
  readonly at: string;
  /** Offered to docflow and not yet taken. */
  pending: boolean;
}

export interface ExchangeSimulator {
  readonly url: string;
  readonly server: Server;
  records(): readonly ExchangeRecord[];
  close(): Promise<void>;
}

export async function startExchangeSimulator(options: {
  dataDir: string;
  host: string;
  port?: number;
}): Promise<ExchangeSimulator> {
  const dir = join(options.dataDir, 'exchange');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const indexPath = join(dir, 'index.json');
  const records: ExchangeRecord[] = JSON.parse(await readFile(indexPath, 'utf8').catch(() => '[]'));
  const check = schemaCheck(await SCHEMA);
  const save = async () => {
    await writeFile(`${indexPath}.tmp`, JSON.stringify(records, null, 1));
    await rename(`${indexPath}.tmp`, indexPath);
  };
  // One write at a time, so that a DocumentId is checked and recorded without a race.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  async function receive(
    request: IncomingMessage,
    direction: ExchangeRecord['direction'],
    kind: ExchangeRecord['kind'],
    unchecked = false,
  ) {
    const id = randomUUID();
    const path = join(dir, `${id}.xml`);
    await pipeline(request, createWriteStream(path));
    try {
      const summary = unchecked
        ? { from: '', to: [], documentId: id }
        : kind === 'document'
          ? await parsePackage(createReadStream(path), check, () => ({
              write: () => {},
              end: () => {},
            })).then(({ header: { messageHeader: m } }) => ({
              from: m.from.organId,
              to: m.to.map((t) => t.organId),
              documentId: m.documentId,
            }))
          : await parseStatus(await readFile(path, 'utf8'), check).then((s) => ({
              from: s.from.organId,
              to: [s.responseFor.organId],
              documentId: s.responseFor.documentId,
              status: s.status,
              description: s.description,
            }));
      return await serially(async () => {
        if (kind === 'document') {
          const earlier = records.find(
            (r) =>
              r.kind === 'document' &&
              r.direction === direction &&
              r.documentId === summary.documentId &&
              r.from === summary.from,
          );
          if (earlier) {
            await rm(path, { force: true });
            return { status: 409, body: { id: earlier.id } };
          }
        }
        const record: ExchangeRecord = {
          id,
          kind,
          direction,
          ...summary,
          at: new Date().toISOString(),
          pending: direction === 'outside',
        };
        records.push(record);
        await save();
        return { status: 201, body: { id } };
      });
    } catch (error) {
      await rm(path, { force: true });
      if (error instanceof DomainError)
        return {
          status: 400,
          body: {
            code: error.code,
            message: exchangeMessages.render(
              error.code as never,
              'en',
              error.params as Record<string, string>,
            ),
          },
        };
      throw error;
    }
  }

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const sendFile = async (response: ServerResponse, record: ExchangeRecord | undefined) => {
    if (!record) return json(response, 404, { message: 'no such item' });
    response.writeHead(200, { 'content-type': 'application/xml' });
    await pipeline(createReadStream(join(dir, `${record.id}.xml`)), response);
  };

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://exchange');
    const [, first, second] = url.pathname.split('/');
    const id = second ? decodeURIComponent(second) : undefined;
    const method = request.method ?? 'GET';
    if (method === 'POST' && url.pathname === '/edocs') {
      const out = await receive(request, 'docflow', 'document');
      return json(response, out.status, out.body);
    }
    if (method === 'POST' && url.pathname === '/statuses') {
      const out = await receive(request, 'docflow', 'status');
      return json(response, out.status, out.body);
    }
    if (method === 'POST' && url.pathname === '/outside/edocs') {
      // `?unchecked`: a package the hub passes on as it is (tests of what docflow does with bad ones).
      const out = await receive(request, 'outside', 'document', url.searchParams.has('unchecked'));
      return json(response, out.status, out.body);
    }
    if (method === 'POST' && url.pathname === '/outside/statuses') {
      const out = await receive(request, 'outside', 'status');
      return json(response, out.status, out.body);
    }
    if (first === 'inbox' && !id && method === 'GET')
      return json(
        response,
        200,
        records.filter((r) => r.pending).map((r) => ({ id: r.id, kind: r.kind })),
      );
    if (first === 'inbox' && id && method === 'GET')
      return sendFile(
        response,
        records.find((r) => r.id === id && r.direction === 'outside'),
      );
    if (first === 'inbox' && id && method === 'DELETE') {
      const record = records.find((r) => r.id === id && r.direction === 'outside');
      if (!record) return json(response, 404, { message: 'no such item' });
      await serially(async () => {
        record.pending = false;
        await save();
      });
      response.writeHead(204).end();
      return;
    }
    if (first === 'sent' && !id && method === 'GET')
      return json(
        response,
        200,
        records.filter((r) => r.direction === 'docflow'),
      );
    if (first === 'sent' && id && method === 'GET')
      return sendFile(
        response,
        records.find((r) => r.id === id && r.direction === 'docflow'),
      );
    json(response, 404, { message: `${method} ${url.pathname} is not part of the exchange` });
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { message: (error as Error).message });
      else response.destroy();
    });
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, options.host, done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    server,
    records: () => records,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
