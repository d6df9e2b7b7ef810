import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../lambdas/core/audit/evidence-check';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { TrustStore } from '../../lambdas/core/pki/trust';
import { draftDecision } from '../fixtures/documents';
import { api, login, stack } from '../support/api';
import { draft, get, issueAs, post, signAs, type View } from '../support/flow';
import { nssDbTrusting, opensslCmsVerify, pdfsig, tempDir, writeTemp } from '../support/pdf-tools';
import { uploadTo } from '../support/upload';

/**
 * Attachments in files of their own (phụ lục, văn bản kèm theo; D30 Appendix I, issue #17), against the
 * local stack: added to a draft by presigned upload, sealed at issue under the clerk's one authorization,
 * received, downloaded and verified by the recipient with tools of its own (pdfsig, openssl cms).
 */

const repoRoot = join(import.meta.dirname, '..', '..');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function attach(
  id: string,
  file: { fileName: string; mediaType: string; title: string; bytes: Uint8Array },
): Promise<View> {
  const started = await post('city-specialist', `/api/documents/${id}/attachments/uploads`, {
    fileName: file.fileName,
    mediaType: file.mediaType,
  });
  const put = await uploadTo(started.upload, file.bytes);
  expect(put.ok, await put.text()).toBe(true);
  return post('city-specialist', `/api/documents/${id}/attachments`, {
    uploadId: started.uploadId,
    title: file.title,
    fileName: file.fileName,
    mediaType: file.mediaType,
  });
}

async function download(userId: string, id: string, attachmentId: string, part = 'file') {
  const { url } = await get(
    userId,
    `/api/documents/${id}/attachments/${attachmentId}/file?part=${part}&redirect=false`,
  );
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return {
    bytes: new Uint8Array(await response.arrayBuffer()),
    disposition: response.headers.get('content-disposition') ?? '',
    type: response.headers.get('content-type') ?? '',
  };
}

describe('attachments', () => {
  it('a PDF annex and a spreadsheet are sealed at issue and verified by the recipient in pdfsig and openssl', async () => {
    const id = await draft({ title: 'Về việc ban hành Kế hoạch tổ chức Tết Nguyên đán, kèm phụ lục' });
    const annex = await draftDecision(2);
    const table = new TextEncoder().encode('Phường,Kinh phí\nBa Đình,120000000\nHoàn Kiếm,95000000\n');
    await attach(id, {
      fileName: 'Phụ lục I - Danh sách đơn vị.pdf',
      mediaType: 'application/pdf',
      title: 'Phụ lục I: Danh sách đơn vị tham gia',
      bytes: annex,
    });
    await attach(id, {
      fileName: 'bo-sung.pdf',
      mediaType: 'application/pdf',
      title: 'Bản bỏ đi',
      bytes: await draftDecision(1),
    });
    const drafted = await attach(id, {
      fileName: 'Phụ lục II - Kinh phí.csv',
      mediaType: 'text/csv',
      title: 'Phụ lục II: Dự toán kinh phí',
      bytes: table,
    });
    expect(drafted.attachments.map((a: View) => [a.id, a.format, a.sha256])).toEqual([
      ['a1', 'pdf', sha256(annex)],
      ['a2', 'pdf', expect.any(String)],
      ['a3', 'file', sha256(table)],
    ]);
    const removed = await api<View>('DELETE', `/api/documents/${id}/attachments/a2`, {
      token: await login('city-specialist'),
    });
    expect(removed.status).toBe(200);
    expect(removed.body.attachments.map((a: View) => a.id)).toEqual(['a1', 'a3']);
    expect(removed.body.log.map((e: View) => e.type)).toEqual(
      expect.arrayContaining(['attachment-added', 'attachment-removed']),
    );

    await post('city-specialist', `/api/documents/${id}/submit`);
    await post('city-chairman', `/api/documents/${id}/approve`, { signerId: 'city-vice-chairman' });
    await signAs('city-vice-chairman', id, { capacity: 'KT', onBehalfOfCollective: true });
    // The clerk authorizes the issue once (test/support/flow.ts lists the main request only): the challenge
    // names the attachments' seals too.
    const issued = await issueAs('city-clerk', id);
    expect(issued.state).toBe('ISSUED');
    const [pdfAnnex, csv] = issued.attachments;
    expect(pdfAnnex.sealedSha256).not.toBe(pdfAnnex.sha256);
    expect(csv.sealedSha256).toBe(csv.sha256);
    expect(csv.signatureSha256).toMatch(/^[0-9a-f]{64}$/);
    const seal = issued.signatures.find((s: View) => s.kind === 'organisation');
    expect(seal.authorization.batchSize).toBe(3);
    await post('city-clerk', `/api/documents/${id}/send`, { recipients: ['phuong-ba-dinh'] });

    // The recipient lists the sealed attachments and downloads them.
    const received = await get('ba-dinh-clerk', `/api/documents/${id}`);
    expect(received.attachments.map((a: View) => [a.id, a.title])).toEqual([
      ['a1', 'Phụ lục I: Danh sách đơn vị tham gia'],
      ['a3', 'Phụ lục II: Dự toán kinh phí'],
    ]);
    const roots = pemDecodeAll((await api<string>('GET', '/api/pki/roots')).body, 'CERTIFICATE');
    const dir = tempDir('docflow-attachments-');

    const sealedPdf = await download('ba-dinh-clerk', id, 'a1');
    expect(sha256(sealedPdf.bytes)).toBe(pdfAnnex.sealedSha256);
    expect(sealedPdf.type).toBe('application/pdf');
    expect(sealedPdf.disposition).toContain(`filename*=UTF-8''${encodeURIComponent('Phụ lục I')}`);
    const { signatures, output } = pdfsig(writeTemp(dir, 'annex.pdf', sealedPdf.bytes), nssDbTrusting(roots));
    expect(signatures, output).toHaveLength(1);
    expect(signatures[0]?.signatureValid, output).toBe(true);
    expect(signatures[0]?.certificateTrusted, output).toBe(true);
    expect(output).toContain('docflow-attachment');

    const file = await download('ba-dinh-clerk', id, 'a3');
    expect(file.bytes).toEqual(table);
    const p7s = await download('ba-dinh-clerk', id, 'a3', 'signature');
    expect(sha256(p7s.bytes)).toBe(csv.signatureSha256);
    expect(p7s.disposition).toContain('.csv.p7s');
    const verified = opensslCmsVerify(p7s.bytes, file.bytes, roots);
    expect(verified.ok, verified.output).toBe(true);
    // Bound to the file: a changed byte fails.
    const altered = Uint8Array.from(file.bytes);
    altered[0] = (altered[0] ?? 0) ^ 1;
    expect(opensslCmsVerify(p7s.bytes, altered, roots).ok).toBe(false);
    // docflow's own verifier agrees, for the recipient: the API, and its evidence package offline (the CLI).
    const verification = await api<View>('GET', `/api/documents/${id}/verification`, {
      token: await login('ba-dinh-clerk'),
      headers: { 'accept-language': 'en' },
    });
    expect(verification.status).toBe(200);
    expect(verification.body.problems).toEqual([]);
    expect(verification.body.attachments).toMatchObject([
      { id: 'a1', format: 'pdf', file: 'ok', verdict: 'valid', sha256: pdfAnnex.sealedSha256 },
      { id: 'a3', format: 'file', file: 'ok', verdict: 'valid', signatureSha256: csv.signatureSha256 },
    ]);
    expect(verification.body.summary.en).toContain('Attachment a3 (Phụ lục II: Dự toán kinh phí)');
    const zipResponse = await fetch(`${stack().url}/api/documents/${id}/evidence`, {
      headers: { authorization: `Bearer ${await login('ba-dinh-clerk')}` },
    });
    expect(zipResponse.status).toBe(200);
    const zip = new Uint8Array(await zipResponse.arrayBuffer());
    const names = Object.keys(unzipSync(zip));
    expect(names.filter((n) => n.startsWith('attachments/')).sort()).toEqual(
      [
        `attachments/a1-${pdfAnnex.sealedSha256.slice(0, 16)}.pdf`,
        `attachments/a3-${csv.sealedSha256.slice(0, 16)}.bin`,
        `attachments/a3-${csv.signatureSha256.slice(0, 16)}.p7s`,
      ].sort(),
    );
    const zipPath = writeTemp(dir, 'evidence.zip', zip);
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
    expect(checked).toMatchObject({ ok: true, problems: [] });
    expect(checked.audit.attachments.map((a: View) => a.verdict)).toEqual(['valid', 'valid']);
    // A package whose .p7s was swapped for another file's no longer verifies (its manifest names the original).
    const files = unzipSync(zip);
    const p7sName = names.find((n) => n.endsWith('.p7s')) ?? '';
    files[p7sName] = Uint8Array.from(files[p7sName] ?? [], (b, i) => (i === 100 ? b ^ 1 : b));
    expect(
      (await verifyEvidence(zipSync(files), TrustStore.fromPem(readFileSync(rootPath, 'utf8')))).ok,
    ).toBe(false);

    // A PDF attachment has no detached signature.
    const none = await api<View>(
      'GET',
      `/api/documents/${id}/attachments/a1/file?part=signature&redirect=false`,
      { token: await login('ba-dinh-clerk'), headers: { 'accept-language': 'en' } },
    );
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/attachment/);
    // Slow on a shared machine: two signatures, three seals, pdfsig, openssl and the CLI.
  }, 480_000);

  it('an attachment said to be a PDF that is not one is refused, in both languages, and nothing is recorded', async () => {
    const id = await draft({ title: 'Về việc thử phụ lục hỏng' });
    const started = await post('city-specialist', `/api/documents/${id}/attachments/uploads`, {
      fileName: 'hong.pdf',
      mediaType: 'application/pdf',
    });
    await uploadTo(started.upload, 'Đây không phải là PDF');
    for (const language of ['vi', 'en'] as const) {
      const response = await api<View>('POST', `/api/documents/${id}/attachments`, {
        token: await login('city-specialist'),
        headers: { 'accept-language': language },
        body: {
          uploadId: started.uploadId,
          title: 'Phụ lục hỏng',
          fileName: 'hong.pdf',
          mediaType: 'application/pdf',
        },
      });
      expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect((await get('city-specialist', `/api/documents/${id}`)).attachments).toBeUndefined();
  });
});
