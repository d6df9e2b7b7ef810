import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/*
 * The laptop's SES: a real SMTP server (smtp-server) that keeps every message it accepts, parsed by
 * mailparser, in the data directory, and a page to read them (`/`, and `/messages` as JSON). Tests read
 * the actual message a person would get. A test may also make it refuse a recipient a number of times
 * (`POST /faults`), as a mail server under trouble does (451), to check that nothing is lost or sent twice.
 */

export interface CaughtMessage {
  readonly id: number;
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly contentLanguage?: string;
  readonly date: string;
  readonly receivedAt: string;
}

export interface MailCatcher {
  readonly smtpUrl: string;
  readonly url: string;
  stop(): Promise<void>;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export async function startMailCatcher(dataDir: string, host: string): Promise<MailCatcher> {
  const dir = join(dataDir, 'mail');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'messages.jsonl');
  const messages: CaughtMessage[] = (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CaughtMessage);
  /** Recipient address → how many more times to refuse it. */
  const refusals = new Map<string, number>();

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const key = address.address.toLowerCase();
      const left = refusals.get(key) ?? 0;
      if (left > 0) {
        refusals.set(key, left - 1);
        const error = new Error('mailbox temporarily unavailable (a fault the test asked for)') as Error & {
          responseCode: number;
        };
        error.responseCode = 451;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const to = Array.isArray(parsed.to)
            ? parsed.to.map((a) => a.text).join(', ')
            : (parsed.to?.text ?? '');
          const message: CaughtMessage = {
            id: messages.length + 1,
            messageId: parsed.messageId ?? '',
            from: parsed.from?.text ?? '',
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            contentLanguage: (parsed.headers.get('content-language') as string | undefined) ?? undefined,
            date: parsed.date?.toISOString() ?? '',
            receivedAt: new Date().toISOString(),
          };
          messages.push(message);
          await appendFile(file, `${JSON.stringify(message)}\n`);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(0, host, () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const page = (res: ServerResponse) => {
    const rows = [...messages]
      .reverse()
      .map(
        (m) =>
          `<article><h2>${escapeHtml(m.subject)}</h2><p>${escapeHtml(m.receivedAt)} · ${escapeHtml(m.from)} → ${escapeHtml(m.to)}</p><pre>${escapeHtml(m.text)}</pre></article>`,
      )
      .join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="vi"><meta charset="utf-8"><title>docflow: thư đã gửi (${messages.length})</title><body><h1>Thư đã gửi (${messages.length})</h1>${rows}</body></html>`,
    );
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => resolve(body));
    });
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mail');
    if (req.method === 'GET' && url.pathname === '/messages') {
      const to = url.searchParams.get('to')?.toLowerCase();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(to ? messages.filter((m) => m.to.toLowerCase().includes(to)) : messages));
    } else if (req.method === 'POST' && url.pathname === '/faults') {
      readBody(req).then((text) => {
        const { refuse, times } = JSON.parse(text || '{}') as { refuse?: string; times?: number };
        if (refuse) refusals.set(refuse.toLowerCase(), times ?? 1);
        res.writeHead(204).end();
      });
    } else if (req.method === 'GET' && url.pathname === '/faults') {
      // Refusals still to come per address: a test checks that the fault it asked for really happened.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Object.fromEntries(refusals)));
    } else if (req.method === 'GET' && url.pathname === '/') page(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, host, () => resolve()));
  const httpPort = (http.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    url: `http://${host}:${httpPort}`,
    stop: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
