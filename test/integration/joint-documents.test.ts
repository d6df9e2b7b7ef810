import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { draftDecision } from '../fixtures/documents';
import { api, login } from '../support/api';
import { get, issueAs, post, signAs, type View } from '../support/flow';
import {
  byteRanges,
  extractCms,
  nssDbTrusting,
  opensslCmsVerify,
  pdfsig,
  signedBytes,
  tempDir,
  writeTemp,
} from '../support/pdf-tools';
import { uploadTo } from '../support/upload';

/*
 * A joint plan (kế hoạch liên tịch) of the city and the Department of Home Affairs through the API (issue 17,
 * item 3): the city drafts it naming the department as co-issuer; the vice-chairman signs, then the
 * department's director (each with their own authorization, each block in its own place); the city clerk
 * issues it with the city's number; the department's clerk seals it; the city clerk sends it. The file
 * verifies valid in docflow's API and CLI, in pdfsig and openssl after every step.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');

async function fileOf(id: string, userId: string): Promise<Uint8Array> {
  const { url } = await get(userId, `/api/documents/${id}/file?redirect=false`);
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

async function expectValidEverywhere(id: string, userId: string, signatures: number): Promise<void> {
  const pdf = await fileOf(id, userId);
  const roots = await api<string>('GET', '/api/pki/roots');
  const rootCerts = pemDecodeAll(roots.body, 'CERTIFICATE');
  const dir = tempDir('docflow-joint-');
  const file = writeTemp(dir, 'joint.pdf', pdf);
  const report = pdfsig(file, nssDbTrusting(rootCerts));
  expect(report.signatures, report.output).toHaveLength(signatures);
  for (const s of report.signatures) {
    expect(s.signatureValid, s.block).toBe(true);
    expect(s.certificateTrusted, s.block).toBe(true);
  }
  const ranges = byteRanges(pdf);
  expect(ranges).toHaveLength(signatures);
  for (const range of ranges) {
    const cms = opensslCmsVerify(extractCms(pdf, range), signedBytes(pdf, range), rootCerts);
    expect(cms.ok, cms.output).toBe(true);
  }
  const verification = await get(userId, `/api/documents/${id}/verification`);
  expect(verification.verdict, JSON.stringify(verification.revisions?.at(-1)?.report)).toBe('valid');
  const trust = writeTemp(dir, 'roots.pem', roots.body);
  const cli = spawnSync(
    process.execPath,
    [join(repoRoot, 'cli', 'bundle', 'docflow.mjs'), 'verify', file, '--trust', trust, '--lang', 'en'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(cli.status, `${cli.stdout}${cli.stderr}`).toBe(0);
}

describe('a joint plan of the city and the Department of Home Affairs', () => {
  let id: string;

  it('is drafted by the city naming the department as co-issuer; both leaders see it to sign', async () => {
    const created = await post('city-specialist', '/api/documents', {
      title: 'Kế hoạch liên tịch về cải cách hành chính năm 2026',
      docType: 'ke-hoach',
      recipients: ['phuong-ba-dinh'],
      coIssuers: ['so-noi-vu'],
    });
    id = created.id;
    const put = await uploadTo(created.upload, await draftDecision(1));
    expect(put.ok).toBe(true);
    await post('city-specialist', `/api/documents/${id}/content`);
    await post('city-specialist', `/api/documents/${id}/submit`);
    await post('city-chairman', `/api/documents/${id}/approve`, { signerId: 'city-vice-chairman' });
    const toSign = await get('snv-director', '/api/inbox?folder=to-sign');
    expect(toSign.items.map((i: View) => i.id)).toContain(id);
    const early = await api<View>('POST', `/api/documents/${id}/signature-requests`, {
      token: await login('snv-director'),
      body: {},
      headers: { 'Accept-Language': 'en' },
    });
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('joint_not_your_turn_sign');
  });

  it('is signed by the vice-chairman, then by the director, each block in its own place', async () => {
    const lead = await signAs('city-vice-chairman', id, { capacity: 'KT', onBehalfOfCollective: true });
    expect(lead.state).toBe('SUBMITTED_TO_SIGNER');
    await expectValidEverywhere(id, 'city-clerk', 1);
    const both = await signAs('snv-director', id);
    expect(both.state).toBe('SIGNED');
    expect(both.signatures.map((s: View) => s.signerOrgId)).toEqual(['ubnd-hanoi', 'so-noi-vu']);
    await expectValidEverywhere(id, 'city-clerk', 2);
  });

  it("is issued with the city's number, sealed by the department, then sent by the city clerk", async () => {
    const issued = await issueAs('city-clerk', id);
    expect(issued.state).toBe('ISSUED');
    await expectValidEverywhere(id, 'snv-clerk', 3);

    const refused = await api<View>('POST', `/api/documents/${id}/send`, {
      token: await login('city-clerk'),
      body: {},
      headers: { 'Accept-Language': 'en' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('Sở Nội vụ');

    const sealed = await issueAs('snv-clerk', id);
    expect(sealed.signatures.map((s: View) => s.kind)).toEqual([
      'person',
      'person',
      'organisation',
      'organisation',
    ]);
    await expectValidEverywhere(id, 'snv-clerk', 4);

    for (const clerk of ['city-clerk', 'snv-clerk']) {
      const register = await get(clerk, '/api/registers/outgoing');
      expect(register.entries).toContainEqual(
        expect.objectContaining({ number: issued.number, symbol: issued.symbol, documentId: id }),
      );
    }

    const sent = await post('city-clerk', `/api/documents/${id}/send`);
    expect(sent.state).toBe('SENT');
    const received = await get('ba-dinh-clerk', `/api/documents/${id}`);
    expect(received.issuers).toEqual(['ubnd-hanoi', 'so-noi-vu']);
  });
});
