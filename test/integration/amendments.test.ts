import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, login, stack } from '../support/api';
import { get, issueAndSend, sent, type View } from '../support/flow';
import { tempDir, writeTemp } from '../support/pdf-tools';

/*
 * Replacement and correction (D30) through the API: a correction is a document of its own, drafted, signed
 * and sealed, that names the issued document it corrects; sent to a recipient of its own, it reaches every
 * recipient of the original too, each told so; both documents show the link, in the view, the timeline,
 * both registers, the verification report and the CLI. Then a replacement ends the original's force.
 */

const repoRoot = join(import.meta.dirname, '..', '..');

interface NotificationList {
  items: { documentId: string; kind: string }[];
}

describe('replacement and correction', () => {
  it('a correction reaches every recipient of the original; a replacement ends its force; both show the link', async () => {
    const original = await issueAndSend({ sendTo: ['phuong-ba-dinh'], title: 'Về việc thử đính chính' });
    const symbol = ((await get('city-clerk', `/api/documents/${original}`)) as View).symbol as string;

    const correction = await sent(['phuong-hoan-kiem'], undefined, 'city-clerk', { corrects: original });
    const corrected = (await get('city-clerk', `/api/documents/${correction}`)) as View;
    expect(corrected.amends).toEqual({ kind: 'corrects', documentId: original, symbol });
    expect(corrected.deliveries.map((d: View) => d.orgId).sort()).toEqual([
      'phuong-ba-dinh',
      'phuong-hoan-kiem',
    ]);

    // The original's recipient received it, is told what it corrects, and sees the link on both documents.
    const theirs = (await get('ba-dinh-clerk', `/api/documents/${correction}`)) as View;
    expect(theirs.record).toMatchObject({ state: 'ARRIVED', amends: { kind: 'corrects', symbol } });
    // The notifier tells people from the log's stream, after the send has answered.
    const told = async () =>
      (
        await api<NotificationList>('GET', '/api/notifications', { token: await login('ba-dinh-clerk') })
      ).body.items
        .filter((n) => n.documentId === correction)
        .map((n) => n.kind);
    const deadline = Date.now() + 30_000;
    let kinds = await told();
    while (kinds.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      kinds = await told();
    }
    expect(kinds).toEqual(['correction']);
    const originalSeen = (await get('ba-dinh-clerk', `/api/documents/${original}`)) as View;
    expect(originalSeen.amendedBy).toEqual([
      { kind: 'corrects', documentId: correction, symbol: corrected.symbol, at: expect.any(String) },
    ]);
    expect(originalSeen.log.find((e: View) => e.type === 'corrected')?.note).toBe(corrected.symbol);

    // The registers' notes.
    const outgoing = await api<View>('GET', '/api/registers/outgoing?format=csv', {
      token: await login('city-clerk'),
    });
    expect(outgoing.body).toContain(`Đã được đính chính bởi văn bản số ${corrected.symbol}`);
    expect(outgoing.body).toContain(`Đính chính văn bản số ${symbol}`);
    await api('POST', `/api/documents/${correction}/register`, {
      token: await login('ba-dinh-clerk'),
      body: {},
    });
    const incoming = await api<View>('GET', '/api/registers/incoming?format=csv', {
      token: await login('ba-dinh-clerk'),
      headers: { 'accept-language': 'en' },
    });
    expect(incoming.body).toContain(`Corrects document ${symbol}`);

    // The verification report says it, in the API and in the CLI (the evidence package, offline).
    const report = await api<View>('GET', `/api/documents/${original}/verification`, {
      token: await login('city-clerk'),
    });
    expect(report.body.verdict).toBe('valid');
    expect(report.body.amendments.amendedBy).toMatchObject([{ kind: 'corrects', documentId: correction }]);
    expect(report.body.summary.vi).toContain(`Đã được đính chính bởi văn bản số ${corrected.symbol}`);
    const zip = await fetch(`${stack().url}/api/documents/${correction}/evidence`, {
      headers: { authorization: `Bearer ${await login('city-auditor')}` },
    });
    expect(zip.status).toBe(200);
    const dir = tempDir('docflow-amendments-');
    const zipPath = writeTemp(dir, 'evidence.zip', new Uint8Array(await zip.arrayBuffer()));
    const rootPath = writeTemp(dir, 'root.pem', (await api<string>('GET', '/api/pki/roots')).body);
    const cli = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'cli', 'bundle', 'docflow.mjs'),
        'verify-evidence',
        zipPath,
        '--trust',
        rootPath,
        '--json',
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    expect(cli.status, cli.stdout + cli.stderr).toBe(0);
    const checked = JSON.parse(cli.stdout);
    expect(checked.audit.amendments.amends).toEqual({ kind: 'corrects', documentId: original, symbol });
    expect(checked.audit.summary.en).toContain(`This document corrects document ${symbol}`);

    // A replacement: the original is replaced, and cannot be named again.
    const replacement = await sent(['phuong-ba-dinh'], undefined, 'city-clerk', { replaces: original });
    const replaced = (await get('city-clerk', `/api/documents/${original}`)) as View;
    expect(replaced.state).toBe('REPLACED');
    expect(replaced.amendedBy.map((a: View) => [a.kind, a.documentId])).toEqual([
      ['corrects', correction],
      ['replaces', replacement],
    ]);
    const again = await api<View>('POST', '/api/documents', {
      token: await login('city-specialist'),
      headers: { 'accept-language': 'en' },
      body: { title: 'Thay thế lần nữa', docType: 'quyet-dinh', replaces: original },
    });
    expect(again.status).toBe(422);
    expect(again.body.error.message).toContain('replaces');
  }, 480_000);
});
