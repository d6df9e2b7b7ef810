import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FunctionInvoker } from './functions/host';
import type { LocalIdentityProvider } from './identity-provider';

/*
 * The laptop's WebSocket API (lib/constructs/live-inbox.ts) on the gateway's own port: `/api/live?token=`
 * is checked as the deployed `$connect` authorizer checks it (here against the local identity provider),
 * then the `live` function runs `$connect`, `$default` and `$disconnect` with the events API Gateway sends,
 * and `/@connections/{id}` answers the Management API the notifier posts to (PostToConnection).
 */

interface LiveSocketOptions {
  readonly idp: LocalIdentityProvider;
  readonly invoke: FunctionInvoker;
  readonly log: (line: string) => void;
}

type LiveResult = { statusCode?: number } | undefined;

export function attachLiveSocket(server: Server, options: LiveSocketOptions) {
  const sockets = new Map<string, WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  const event = (routeKey: string, connectionId: string, extra: Record<string, unknown> = {}) => ({
    requestContext: {
      routeKey,
      eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
      connectionId,
      stage: 'live',
      requestId: randomUUID(),
      apiId: 'local',
      domainName: 'localhost',
      requestTimeEpoch: Date.now(),
      ...extra,
    },
    isBase64Encoded: false,
  });
  const run = (routeKey: string, connectionId: string, extra?: Record<string, unknown>, body?: string) =>
    options.invoke(
      'live',
      { ...event(routeKey, connectionId, extra), ...(body ? { body } : {}) },
      {
        functionName: 'docflow-live',
        timeoutMs: 20_000,
      },
    ) as Promise<LiveResult>;

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const refuse = (status: number) => {
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Not Found'}\r\n\r\n`);
    };
    if (url.pathname !== '/api/live') return refuse(404);
    (async () => {
      const token = url.searchParams.get('token');
      const claims = token ? await options.idp.verify(token) : undefined;
      const custom = claims?.['custom:personId'];
      const personId = typeof custom === 'string' && custom !== '' ? custom : claims?.sub;
      if (typeof personId !== 'string') return refuse(401);
      const connectionId = randomUUID();
      const result = await run('$connect', connectionId, { authorizer: { personId, principalId: personId } });
      if (result?.statusCode !== 200) return refuse(401);
      wss.handleUpgrade(request, socket, head, (ws) => {
        sockets.set(connectionId, ws);
        ws.on('message', (data: Buffer) => {
          run('$default', connectionId, undefined, data.toString('utf8')).catch(() => undefined);
        });
        ws.on('close', () => {
          sockets.delete(connectionId);
          run('$disconnect', connectionId).catch(() => undefined);
        });
      });
    })().catch((error: unknown) => {
      options.log(`live socket: ${(error as Error).message}`);
      refuse(401);
    });
  });

  /** The Management API: true when the request was one of its. */
  async function manage(
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer,
  ): Promise<number | undefined> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/@connections\/([^/]+)$/.exec(url.pathname);
    if (!match) return undefined;
    const ws = sockets.get(decodeURIComponent(match[1] ?? ''));
    const status = !ws ? 410 : 200;
    if (ws && request.method === 'POST') ws.send(body.toString('utf8'));
    if (ws && request.method === 'DELETE') ws.close();
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(status === 410 ? '{"message":"GoneException"}' : '{}');
    return status;
  }

  return {
    manage,
    /** Cuts every connection, as a network drop would (for tests of reconnection). */
    dropAll() {
      for (const ws of sockets.values()) ws.terminate();
    },
    close() {
      for (const ws of sockets.values()) ws.terminate();
      wss.close();
    },
  };
}
