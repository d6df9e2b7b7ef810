import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDirectory, savePeople } from '../../lambdas/adapters/directory-store';
import { personFromEntry } from '../../lambdas/core/domain/directory';
import { api, login, stack } from '../support/api';
import { authorize, get, issueAs, post, toSign, type View } from '../support/flow';
import { tempDir } from '../support/pdf-tools';

/**
 * Delegated signing (issue 17, item 4) on the local stack: the chairman records a TL. delegation to the
 * Chief of Office, who signs "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG" with their own key after their own
 * authorization; the verifier (API and CLI) reports the capacity and the delegation; a delegation that has
 * ended (explicit dates, no waiting) or been revoked refuses the next signature with the reason.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const HOUR = 3_600_000;
const iso = (offset: number) => new Date(Date.now() + offset).toISOString();

let chief: string;

const asChief = (path: string, body: unknown) =>
  login(chief).then((token) =>
    api<View>('POST', path, { token, body, headers: { 'accept-language': 'en' } }),
  );

async function delegate(body: Record<string, unknown>): Promise<View> {
  return post('city-chairman', '/api/delegations', {
    kind: 'TL',
    orgId: 'ubnd-hanoi',
    delegateId: chief,
    basis: 'Quy chế làm việc của UBND thành phố, Quyết định 15/QĐ-UBND',
    documentTypeIds: ['cong-van'],
    ...body,
  });
}

const toChief = () =>
  toSign({ drafter: 'city-specialist', approver: 'city-chairman', signer: chief }, { docType: 'cong-van' });

describe('a TL. delegation', () => {
  beforeAll(async () => {
    chief = `vp-chief-${randomUUID().slice(0, 8)}`;
    // The Chief of Office of the city's People's Committee is not among the demo people: added directly.
    Object.assign(process.env, stack().environment);
    await savePeople([
      personFromEntry(await loadDirectory(), {
        id: chief,
        name: 'Cù Ngọc Trang',
        orgId: 'van-phong-ubnd',
        role: 'leader',
        rank: 'head',
      }),
    ]);
  }, 60_000);

  it('lets the Chief of Office sign TL. with their own key; the verifier names the delegation', async () => {
    const granted = await delegate({ validFrom: iso(-HOUR), validUntil: iso(2 * HOUR) });
    expect(granted).toMatchObject({
      status: 'active',
      kind: 'TL',
      delegateId: chief,
      grantedBy: 'city-chairman',
    });
    const listed = await get('city-chairman', '/api/delegations');
    expect(listed.map((d: View) => d.id)).toContain(granted.id);
    const log = await get('city-admin', '/api/administration-log');
    expect(log.chain.ok).toBe(true);
    expect(log.entries.at(-1)).toMatchObject({ type: 'delegation-granted', delegation: { id: granted.id } });

    const id = await toChief();
    const prepared = await post(chief, `/api/documents/${id}/signature-requests`, {
      capacity: 'TL',
      delegationId: granted.id,
    });
    expect(prepared.capacity).toBe('TL.');
    await authorize(chief, [prepared.requestId]);
    const view = await post(chief, `/api/documents/${id}/sign`, { requestId: prepared.requestId });
    expect(view.state).toBe('SIGNED');
    await issueAs('city-clerk', id);

    const audit = await api<View>('GET', `/api/documents/${id}/verification`, {
      token: await login('city-auditor'),
    });
    expect(audit.status).toBe(200);
    expect(audit.body.verdict).toBe('valid');
    const last = audit.body.revisions.at(-1).report;
    const personal = last.signatures.find((s: View) => s.kind === 'personal');
    expect(personal).toMatchObject({
      verdict: 'valid',
      capacity: 'TL.',
      delegation: {
        id: granted.id,
        kind: 'TL',
        orgId: 'ubnd-hanoi',
        grantedBy: 'city-chairman',
        delegateId: chief,
      },
    });
    expect(last.summary.vi).toContain('được giao theo Quy chế làm việc của UBND thành phố');

    // Offline, with the CLI: the same capacity and delegation.
    const dir = tempDir();
    const file = await api<{ url: string }>('GET', `/api/documents/${id}/file?redirect=false`, {
      token: await login('city-auditor'),
    });
    await writeFile(join(dir, 'tl.pdf'), new Uint8Array(await (await fetch(file.body.url)).arrayBuffer()));
    await writeFile(join(dir, 'root.pem'), (await api<string>('GET', '/api/pki/roots')).body);
    const cli = await run(
      process.execPath,
      [
        join(repoRoot, 'cli', 'bundle', 'docflow.mjs'),
        'verify',
        join(dir, 'tl.pdf'),
        '--trust',
        join(dir, 'root.pem'),
        '--lang',
        'en',
      ],
      { cwd: repoRoot },
    );
    expect(cli.stdout).toContain(
      `Delegation: TL. Quy chế làm việc của UBND thành phố, Quyết định 15/QĐ-UBND`,
    );
    expect(cli.stdout).toContain(`id ${granted.id}`);
  });

  it('is refused once it has ended, with the reason, and changes nothing', async () => {
    const ended = await delegate({ validFrom: iso(-48 * HOUR), validUntil: iso(-24 * HOUR) });
    expect(ended.status).toBe('ended');
    const id = await toChief();
    const refused = await asChief(`/api/documents/${id}/signature-requests`, {
      capacity: 'TL',
      delegationId: ended.id,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('delegation_ended');
    expect(refused.body.error.message).toMatch(/assignment from .* ended at \d\d\/\d\d\/\d{4} \d\d:\d\d/);
    expect((await get('city-chairman', `/api/documents/${id}`)).state).toBe('SUBMITTED_TO_SIGNER');
  });

  it('is refused once revoked, even for a signature prepared and authorized before', async () => {
    const granted = await delegate({ validFrom: iso(-HOUR), validUntil: iso(HOUR) });
    const id = await toChief();
    const prepared = await post(chief, `/api/documents/${id}/signature-requests`, {
      capacity: 'TL',
      delegationId: granted.id,
    });
    await authorize(chief, [prepared.requestId]);
    const revokedByClerk = await api<View>('POST', `/api/delegations/${granted.id}/revoke`, {
      token: await login('city-clerk'),
      body: {},
    });
    expect(revokedByClerk.status).toBe(403);
    expect((await post('city-chairman', `/api/delegations/${granted.id}/revoke`)).status).toBe('revoked');
    const refused = await asChief(`/api/documents/${id}/sign`, { requestId: prepared.requestId });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('delegation_revoked');
    expect((await get('city-chairman', `/api/documents/${id}`)).state).toBe('SUBMITTED_TO_SIGNER');
    const log = await get('city-auditor', '/api/administration-log');
    expect(log.chain.ok).toBe(true);
    expect(log.entries.at(-1)).toMatchObject({
      type: 'delegation-revoked',
      by: 'city-chairman',
      delegation: { id: granted.id, revokedBy: 'city-chairman' },
    });
  });
});
