import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCredential } from '../../lambdas/adapters/city-pki';
import { findPerson, loadDirectory } from '../../lambdas/adapters/directory-store';
import { parseCertificate } from '../../lambdas/core/pki/certificate';
import { applyDirectoryPlan, planDirectoryLoad, readDirectoryData } from '../../ops/directory/load';
import { parsePeopleCsv } from '../../ops/directory/people-csv';
import { api, login, stack, stateFingerprint } from '../support/api';
import { authorize, issueAs, type Signers, signed } from '../support/flow';
import { tempDir } from '../support/pdf-tools';

/**
 * A certificate from an external CA for a key docflow holds in KMS: an administrator exports a CSR signed
 * by the key, the external CA (here the test stand-in in test/fixtures/external-ca, which the test stack
 * trusts) certifies it, and the administrator imports the result. The private key never leaves KMS.
 */

const EXTERNAL_CA = resolve(import.meta.dirname, '..', 'fixtures', 'external-ca');
const HOLDER = { kind: 'official', personId: 'soc-son-specialist' } as const;
const dir = tempDir('docflow-external-');

function openssl(args: readonly string[], input?: string): string {
  const run = spawnSync('openssl', args, { encoding: 'utf8', input });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${run.stderr}`);
  return `${run.stdout}${run.stderr}`;
}

/** What an external CA does with our CSR: a certificate for the key in it, signed by that CA's key. */
function certify(
  csrPem: string,
  ca: { cert: string; key: string },
  name: string,
  extra: readonly string[] = [],
): string {
  const csr = join(dir, `${name}.csr`);
  const out = join(dir, `${name}.pem`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(csr, csrPem);
  writeFileSync(
    ext,
    ['keyUsage=critical,digitalSignature,nonRepudiation', 'extendedKeyUsage=emailProtection', ...extra]
      .map((line) => `${line}\n`)
      .join(''),
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-CAserial',
      join(dir, `${name}.srl`),
      '-days',
      '365',
    ].concat(['-extfile', ext, '-out', out]),
  );
  return readFileSync(out, 'utf8');
}

const externalCa = { cert: join(EXTERNAL_CA, 'root.pem'), key: join(EXTERNAL_CA, 'root.key') };

async function asAdmin(method: string, path: string, body: unknown) {
  return api<Record<string, unknown>>(method, path, { token: await login('city-admin'), body });
}

/**
 * A CSR is a signature by the holder's key: the holder (the official, or a clerk for the seal) prepares it,
 * authorizes it with their own passkey, and makes it (docs/SECURITY.md).
 */
async function exportCsr(userId: string, holder: unknown) {
  const token = await login(userId);
  const prepared = await api<Record<string, Record<string, string>>>('POST', '/api/pki/csr', {
    token,
    body: { holder },
  });
  if (prepared.status !== 200) return prepared as unknown as Awaited<ReturnType<typeof asAdmin>>;
  await authorize(userId, [prepared.body.prepared?.requestId ?? '']);
  return api<Record<string, unknown>>('POST', '/api/pki/csr', {
    token,
    body: { holder, requestId: prepared.body.prepared?.requestId },
  });
}

describe('certificates from an external CA for keys in KMS', () => {
  let csr: string;
  let keyId: string;

  beforeAll(async () => {
    const response = await exportCsr(HOLDER.personId, HOLDER);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    csr = String(response.body.csr);
    keyId = String(response.body.keyId);
  });

  it('exports a CSR that the key itself signed, naming the holder', async () => {
    expect(csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    const file = join(dir, 'exported.csr');
    writeFileSync(file, csr);
    expect(openssl(['req', '-in', file, '-noout', '-verify'])).toMatch(/verify OK/i);
    const subject = openssl(['req', '-in', file, '-noout', '-subject', '-nameopt', 'utf8']);
    expect(subject).toContain('CN=Quách Văn Toàn');
    expect(subject).toContain('C=VN');
    // The same key on every request: exporting again does not make a new one.
    const again = await exportCsr(HOLDER.personId, HOLDER);
    expect(again.body.keyId).toBe(keyId);
  });

  it('refuses a CSR by anyone but the holder, and a certificate not for the key or not from a trusted CA', async () => {
    const before = await stateFingerprint();
    for (const other of ['soc-son-clerk', 'city-admin']) {
      const refused = await api('POST', '/api/pki/csr', {
        token: await login(other),
        body: { holder: HOLDER },
      });
      expect(refused.status, other).toBe(403);
    }

    // A certificate from the trusted CA, but for another key.
    const otherKey = join(dir, 'other.key');
    const otherCsr = join(dir, 'other.csr');
    openssl(
      [
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        otherKey,
        '-subj',
        '/CN=someone else',
      ].concat(['-out', otherCsr]),
    );
    const forOtherKey = certify(readFileSync(otherCsr, 'utf8'), externalCa, 'for-other-key');
    const wrongKey = await asAdmin('POST', '/api/pki/certificates', {
      holder: HOLDER,
      certificate: forOtherKey,
    });
    expect(wrongKey.status).toBe(400);
    expect(JSON.stringify(wrongKey.body)).toContain('certificate_rejected');

    // The right key, certified by a CA this deployment does not trust.
    const rogueKey = join(dir, 'rogue.key');
    const rogueCert = join(dir, 'rogue.pem');
    openssl(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', rogueKey, '-out', rogueCert].concat([
        '-days',
        '30',
        '-subj',
        '/CN=Rogue CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      ]),
    );
    const untrusted = certify(csr, { cert: rogueCert, key: rogueKey }, 'untrusted');
    const rogue = await api<Record<string, unknown>>('POST', '/api/pki/certificates', {
      token: await login('city-admin'),
      body: { holder: HOLDER, certificate: untrusted },
      headers: { 'accept-language': 'en' },
    });
    expect(rogue.status).toBe(400);
    expect(JSON.stringify(rogue.body)).toMatch(/not accepted/);

    const notPem = await asAdmin('POST', '/api/pki/certificates', { holder: HOLDER, certificate: 'hello' });
    expect(notPem.status).toBe(400);
    expect(await stateFingerprint()).toBe(before);
  });

  it('imports the external certificate for the key, which stays the one in KMS', async () => {
    const certificate = certify(csr, externalCa, 'issued');
    const serial = openssl(['x509', '-noout', '-serial'], certificate)
      .replace(/^serial=/i, '')
      .trim();
    const imported = await asAdmin('POST', '/api/pki/certificates', { holder: HOLDER, certificate });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.keyId).toBe(keyId);
    expect(String(imported.body.serial).toLowerCase()).toBe(serial.toLowerCase());
    expect(String(imported.body.issuer)).toContain('Example External Root CA');
    // Its key is still the one in KMS: a CSR now is signed by the same key.
    const again = await exportCsr(HOLDER.personId, HOLDER);
    expect(again.body.keyId).toBe(keyId);
  });

  it('gives way to a city certificate when the holder changes position: it no longer names them truly', async () => {
    Object.assign(process.env, stack().environment);
    const moved = await api('PUT', `/api/people/${HOLDER.personId}/position`, {
      token: await login('city-admin'),
      body: { orgId: 'xa-soc-son', role: 'specialist', title: 'Chuyên viên chính' },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const person = await findPerson(HOLDER.personId);
    const org = (await loadDirectory()).find('xa-soc-son');
    if (!person || !org) throw new Error('the moved person or their ward is missing');
    const { certificateChain, signer } = await officialCredential(person, org);
    const leaf = parseCertificate(certificateChain[0] as Uint8Array);
    // A city certificate: from the issuing CA, under the root.
    expect(leaf.issuer.display).toContain('docflow Hà Nội Issuing CA');
    expect(certificateChain.map((c) => parseCertificate(c).subject.commonName)).toEqual([
      leaf.subject.commonName,
      'docflow Hà Nội Issuing CA',
      'docflow Hà Nội Root CA',
    ]);
    expect(leaf.subject.display).toContain('Chuyên viên chính');
    expect(signer.keyId).toBe(keyId);
  });
});

/** The external CA's current CRL (nothing revoked), as it would publish it. */
function externalCrl(): Uint8Array {
  const ca = join(dir, 'ca-state');
  mkdirSync(ca, { recursive: true });
  writeFileSync(join(ca, 'index.txt'), '');
  writeFileSync(join(ca, 'crlnumber'), '01\n');
  const config = join(ca, 'openssl.cnf');
  writeFileSync(
    config,
    `[ca]\ndefault_ca = external\n[external]\ndatabase = ${ca}/index.txt\ncrlnumber = ${ca}/crlnumber\n` +
      'default_md = sha256\ndefault_crl_days = 30\n',
  );
  const pem = join(ca, 'crl.pem');
  const der = join(ca, 'crl.der');
  openssl([
    'ca',
    '-config',
    config,
    '-gencrl',
    '-keyfile',
    externalCa.key,
    '-cert',
    externalCa.cert,
    '-out',
    pem,
  ]);
  openssl(['crl', '-in', pem, '-outform', 'DER', '-out', der]);
  return readFileSync(der);
}

describe('a seal certified by an external CA', () => {
  const TAY_HO: Signers = {
    drafter: 'tay-ho-specialist',
    approver: 'tay-ho-chairman',
    signer: 'tay-ho-chairman',
    capacity: { capacity: 'TM' },
  };
  const people = [
    'person_id,full_name,org_id,role,rank,title,unit_code,email',
    'tay-ho-chairman,Đỗ Minh Quân,phuong-tay-ho,leader,head,,,do.minh.quan@tay-ho.example',
    'tay-ho-specialist,Vũ Thị Hoa,phuong-tay-ho,specialist,,,,vu.thi.hoa@tay-ho.example',
    'tay-ho-clerk,Lý Văn Nam,phuong-tay-ho,clerk,,,,ly.van.nam@tay-ho.example',
  ].join('\n');
  let server: Server;

  beforeAll(async () => {
    // Tây Hồ is no other test's: its people are loaded here, as an operator would (npm run directory:load).
    Object.assign(process.env, stack().environment);
    const directory = await readDirectoryData();
    const parsed = parsePeopleCsv(people, directory);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await applyDirectoryPlan(
      await planDirectoryLoad({
        organisations: directory.organisations,
        people: parsed.rows.map((r) => r.person),
      }),
    );
    // The external CA publishes its CRL where its certificates say.
    const crl = externalCrl();
    server = createServer((request, response) => {
      if (request.url !== '/external.crl') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crl);
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('issues with the imported certificate, checked against the CRL at its distribution point: valid, chained to the external root', async () => {
    const holder = { kind: 'seal', orgId: 'phuong-tay-ho' };
    const exported = await exportCsr('tay-ho-clerk', holder);
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    const crlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/external.crl`;
    const certificate = certify(String(exported.body.csr), externalCa, 'tay-ho-seal', [
      `crlDistributionPoints=URI:${crlUrl}`,
    ]);
    const imported = await asAdmin('POST', '/api/pki/certificates', { holder, certificate });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);

    const id = await signed(TAY_HO);
    await issueAs('tay-ho-clerk', id);
    const audit = await api<{
      verdict: string;
      revisions: {
        report?: {
          signatures: { verdict: string; kind: string | null; signer: { issuer: string } | null }[];
        };
      }[];
    }>('GET', `/api/documents/${id}/verification`, { token: await login('city-auditor') });
    expect(audit.status).toBe(200);
    expect(audit.body.verdict).toBe('valid');
    const last = audit.body.revisions.at(-1)?.report?.signatures ?? [];
    const seal = last.find((s) => s.kind === 'organisation');
    expect(seal?.verdict).toBe('valid');
    expect(seal?.signer?.issuer).toContain('Example External Root CA');
    const personal = last.find((s) => s.kind === 'personal');
    // City certificates come from the issuing CA, under the root (two levels).
    expect(personal?.signer?.issuer).toContain('docflow Hà Nội Issuing CA');
  });
});
