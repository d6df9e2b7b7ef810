import { connect } from 'node:net';
import { tracer } from '../observability';
import type { EmailSender, OutgoingEmail } from '../ports/notifications';
import { boundedConfig } from './aws-clients';
import { LazyClient, sesSdk } from './lazy-sdk';
import { SendEmailCommand } from './sdk-commands';

/*
 * E-mail out. Deployed: Amazon SES (SendEmail with the raw message, from the verified identity the stage
 * configures). On a laptop DOCFLOW_SMTP_URL names the SMTP server the local stack starts (local/mail.ts),
 * and the same bytes go there over plain SMTP, so a test reads the message a person would get.
 */

const ses = new LazyClient(async () =>
  tracer.captureAWSv3Client(
    new (await sesSdk()).SESv2Client({
      ...boundedConfig({
        connectionTimeoutMs: 1_000,
        requestTimeoutMs: 5_000,
        socketTimeoutMs: 5_000,
        maxAttempts: 3,
      }),
      // The identity may live in another region than the stack (lib/config.ts sesRegion).
      ...(process.env.DOCFLOW_SES_REGION ? { region: process.env.DOCFLOW_SES_REGION } : {}),
    }),
  ),
);

export const sesEmailSender: EmailSender = {
  async send(email) {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        Destination: { ToAddresses: [email.to] },
        Content: { Raw: { Data: new TextEncoder().encode(email.raw) } },
      }),
    );
  },
};

/** The address inside `Name <address>`. */
const address = (mailbox: string) => /<([^>]+)>/.exec(mailbox)?.[1] ?? mailbox.trim();

/** One SMTP transaction (RFC 5321) over a plain connection: what the local sink needs, nothing more. */
export function smtpEmailSender(url: string): EmailSender {
  const { hostname, port } = new URL(url);
  return {
    send: (email: OutgoingEmail) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host: hostname, port: Number(port) || 25 });
        socket.setTimeout(10_000, () => socket.destroy(new Error('SMTP server did not answer in 10 s')));
        const body = email.raw.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
        const steps: [string | undefined, number][] = [
          [undefined, 220],
          ['EHLO docflow', 250],
          [`MAIL FROM:<${address(email.from)}>`, 250],
          [`RCPT TO:<${address(email.to)}>`, 250],
          ['DATA', 354],
          [`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.`, 250],
          ['QUIT', 221],
        ];
        let step = 0;
        let buffer = '';
        socket.on('error', reject);
        socket.on('close', () => {
          if (step < steps.length) reject(new Error(`SMTP connection closed at step ${step}`));
        });
        socket.on('data', (chunk) => {
          buffer += chunk.toString('utf8');
          // A reply is complete at a line `NNN text` (a `NNN-` line continues it).
          for (;;) {
            const lines = buffer.split('\r\n');
            const last = lines.findIndex((line) => /^\d{3} /.test(line) || /^\d{3}$/.test(line));
            if (last < 0) return;
            const reply = lines[last] ?? '';
            buffer = lines.slice(last + 1).join('\r\n');
            const expected = steps[step]?.[1];
            if (Number(reply.slice(0, 3)) !== expected) {
              step = steps.length;
              socket.destroy();
              reject(new Error(`SMTP server refused: ${reply}`));
              return;
            }
            step++;
            if (step === steps.length) {
              socket.end();
              resolve();
              return;
            }
            socket.write(`${steps[step]?.[0]}\r\n`);
          }
        });
      }),
  };
}

/** The sender this deployment has: the local SMTP server when one is named, else SES. */
export function emailSender(): EmailSender {
  const url = process.env.DOCFLOW_SMTP_URL;
  return url ? smtpEmailSender(url) : sesEmailSender;
}
