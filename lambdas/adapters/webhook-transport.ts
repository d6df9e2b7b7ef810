import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { type EndpointRules, endpointProblem, isInternalAddress } from '../core/webhooks/webhooks';
import type { WebhookRequest, WebhookResponse, WebhookTransport } from '../ports/webhooks';

/*
 * POSTs webhook deliveries over node:http(s). The endpoint was checked at registration, but a name may
 * resolve elsewhere later (DNS rebinding): the connection's own lookup refuses every internal address, so
 * the address checked is the address connected to. No redirects are followed (a 3xx is a failed try), the
 * whole exchange is bounded in time, and only the first bytes of the answer are read.
 */

const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 4096;

function guardedLookup(rules: EndpointRules): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = (addresses as unknown as LookupAddress[]) ?? [];
      const refused = list.find(
        (a) => isInternalAddress(a.address) && !(rules.allowLoopback && /^(127\.|::1$)/.test(a.address)),
      );
      if (refused || list.length === 0) {
        const denied = Object.assign(new Error(`refused internal address ${refused?.address ?? '(none)'}`), {
          code: 'EADDRNOTALLOWED',
        });
        return callback(denied, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}

export function webhookTransport(rules: EndpointRules): WebhookTransport {
  const lookup = guardedLookup(rules);
  return {
    post: (delivery: WebhookRequest) =>
      new Promise<WebhookResponse>((resolve) => {
        const problem = endpointProblem(delivery.url, rules);
        if (problem) return resolve({ ok: false, error: `endpoint refused: ${problem}` });
        const url = new URL(delivery.url);
        const body = Buffer.from(delivery.body, 'utf8');
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
        const req = send(
          url,
          {
            method: 'POST',
            headers: { ...delivery.headers, 'content-length': String(body.length) },
            lookup,
            timeout: TIMEOUT_MS,
          },
          (res) => {
            let read = 0;
            res.on('data', (chunk: Buffer) => {
              read += chunk.length;
              if (read > MAX_ANSWER_BYTES) res.destroy();
            });
            const done = () => {
              const status = res.statusCode ?? 0;
              resolve(
                status >= 200 && status < 300
                  ? { ok: true, status }
                  : { ok: false, status, error: `HTTP ${status}` },
              );
            };
            res.on('end', done);
            res.on('close', done);
            res.on('error', done);
          },
        );
        const timer = setTimeout(
          () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)),
          TIMEOUT_MS,
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
        req.on('error', (error) => resolve({ ok: false, error: error.message.slice(0, 300) }));
        req.on('close', () => clearTimeout(timer));
        req.end(body);
      }),
  };
}

/** The local stack's flag (never set deployed): http to the loopback allowed, so tests run a receiver. */
export const endpointRulesFromEnv = (): EndpointRules => ({
  allowLoopback: process.env.DOCFLOW_WEBHOOKS_ALLOW_LOOPBACK === '1',
});
