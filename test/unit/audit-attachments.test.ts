import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachmentFilesNamedBy, checkAttachments } from '../../lambdas/core/audit/attachments';
import { TrustStore } from '../../lambdas/core/pki/trust';

// The audit of sealed attachments from the log alone: which files it names, and a missing or altered
// file named as such (the seals themselves are checked against real files in the integration test).

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const csv = new TextEncoder().encode('Phường,Kinh phí\n');
const p7s = new TextEncoder().encode('not really a p7s');

const events = [
  { seq: 1, hash: 'h1', type: 'created', payload: {} },
  {
    seq: 2,
    hash: 'h2',
    type: 'attachment-added',
    payload: { attachment: { id: 'a1', title: 'Phụ lục I', fileName: 'kinh-phi.csv', format: 'file' } },
  },
  {
    seq: 3,
    hash: 'h3',
    type: 'issued',
    payload: {
      attachments: [
        {
          id: 'a1',
          title: 'Phụ lục I: Kinh phí',
          fileName: 'kinh-phi.csv',
          mediaType: 'text/csv',
          format: 'file',
          sealedSha256: sha(csv),
          signatureSha256: sha(p7s),
        },
      ],
    },
  },
];
const context = { trust: TrustStore.fromPem(''), crls: [] };

describe('the audit of sealed attachments', () => {
  it('names the sealed file and its .p7s, and the title the issue recorded', async () => {
    expect(attachmentFilesNamedBy(events)).toEqual([sha(csv), sha(p7s)]);
    const files = new Map([
      [sha(csv), csv],
      [sha(p7s), p7s],
    ]);
    const { attachments, problems } = await checkAttachments(events, (s) => files.get(s), context);
    expect(attachments[0]).toMatchObject({
      id: 'a1',
      title: 'Phụ lục I: Kinh phí',
      file: 'ok',
      verdict: 'invalid',
    });
    expect(problems.map((p) => p.code)).toEqual(['attachment-seal-invalid']);
    expect(problems[0]?.vi).toContain('Phụ lục a1 (Phụ lục I: Kinh phí)');
  });

  it('a missing file, or one no longer the one sealed, is named', async () => {
    const missing = await checkAttachments(events, () => undefined, context);
    expect(missing.attachments[0]?.file).toBe('missing');
    expect(missing.problems.map((p) => p.code)).toEqual(['attachment-missing']);
    const altered = await checkAttachments(
      events,
      (s) => (s === sha(csv) ? new Uint8Array([1]) : p7s),
      context,
    );
    expect(altered.attachments[0]?.file).toBe('altered');
    expect(altered.problems[0]?.en).toContain('no longer the one sealed');
  });

  it('a log without an issue of attachments has none to check', async () => {
    expect(attachmentFilesNamedBy(events.slice(0, 2))).toEqual([]);
    expect((await checkAttachments(events.slice(0, 2), () => undefined, context)).attachments).toEqual([]);
  });
});
