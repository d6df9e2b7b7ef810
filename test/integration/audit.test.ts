import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../lambdas/core/audit/evidence-check';
import type { DocumentAudit } from '../../lambdas/core/audit/report';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { canonicalize } from '../../lambdas/core/log/canonical-json';
import { eventHash } from '../../lambdas/core/log/chain';
import { pemEncode } from '../../lambdas/core/pki/asn1';
import { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import { TrustStore } from '../../lambdas/core/pki/trust';
import { api, login, stack } from '../support/api';
import { issueAndSend } from '../support/flow';
import { uploadTo } from '../support/upload';

/*
 * Tamper evidence end to end: a document goes through the real API, then its stored PDF and its log are
 * changed behind the system's back (straight in s3rver and DynamoDB Local, as someone with database access
 * could), and the verification route and the offline CLI must say what was changed. Each tamper is undone
 * before the next, and the untouched state must verify, so no check passes by always failing.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The package's `docflow` bin from the repository (test/integration/cli-package.test.ts installs the packed
 * package and runs it through `npx`).
 */
async function docflow(...args: string[]): Promise<CliResult> {
  try {
    const bin = join(repoRoot, 'cli', 'bundle', 'docflow.mjs');
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function clients() {
  const env = stack().environment;
  const config = {
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
  const dynamo = new DynamoDBClient({ ...config, endpoint: stack().services.dynamodb });
  return {
    db: DynamoDBDocumentClient.from(dynamo),
    s3: new S3Client({ ...config, endpoint: stack().services.s3, forcePathStyle: true }),
    logTable: env.DOCFLOW_LOG_TABLE ?? '',
    archive: env.DOCFLOW_ARCHIVE_BUCKET ?? '',
    close: () => dynamo.destroy(),
  };
}

let c: ReturnType<typeof clients>;
let dir: string;
let id: string;
let rootPem: string;
let trust: TrustStore;
let currentSha: string;

const verification = async (user = 'city-auditor') =>
  api<DocumentAudit>('GET', `/api/documents/${id}/verification`, {
    token: await login(user),
    headers: { 'accept-language': 'en' },
  });

async function evidence(user = 'city-auditor'): Promise<Uint8Array> {
  const response = await fetch(`${stack().url}/api/documents/${id}/evidence`, {
    headers: { authorization: `Bearer ${await login(user)}` },
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/zip');
  return new Uint8Array(await response.arrayBuffer());
}

async function evidenceCli(zip: Uint8Array, name: string, ...extra: string[]): Promise<CliResult> {
  const path = join(dir, name);
  await writeFile(path, zip);
  return docflow('verify-evidence', path, '--trust', join(dir, 'root.pem'), ...extra);
}

const logKey = (seq: number) => ({ documentId: id, seq });
async function logItem(seq: number): Promise<Record<string, unknown>> {
  const { Item } = await c.db.send(
    new GetCommand({ TableName: c.logTable, Key: logKey(seq), ConsistentRead: true }),
  );
  if (!Item) throw new Error(`no log item ${seq}`);
  return Item;
}
const putLogItem = (item: Record<string, unknown>) =>
  c.db.send(new PutCommand({ TableName: c.logTable, Item: item }));

const codes = (audit: DocumentAudit) => audit.problems.map((p) => p.code);

beforeAll(async () => {
  c = clients();
  dir = await mkdtemp(join(tmpdir(), 'docflow-audit-'));
  id = await issueAndSend({ sendTo: ['so-noi-vu', 'phuong-ba-dinh'], registerBy: ['snv-clerk'] });
  rootPem = (await api<string>('GET', '/api/pki/roots')).body;
  await writeFile(join(dir, 'root.pem'), rootPem);
  trust = TrustStore.fromPem(rootPem);
  const view = await api<{ document: { documentSha256: string } }>('GET', `/api/documents/${id}`, {
    token: await login('city-clerk'),
  });
  currentSha = view.body.document.documentSha256;
});

afterAll(async () => {
  c?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('an untouched document', () => {
  it('verifies: three versions, both signatures, the whole log, every event in the transparency log', async () => {
    const { status, body } = await verification();
    expect(status).toBe(200);
    expect(body.problems).toEqual([]);
    expect(body.verdict).toBe('valid');
    expect(body.revisions.map((r) => r.role)).toEqual(['draft', 'signed', 'issued']);
    expect(body.revisions.map((r) => r.file)).toEqual(['ok', 'ok', 'ok']);
    expect(body.revisions[2]?.report?.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid']);
    expect(body.revisions[2]?.sha256).toBe(currentSha);
    expect(body.chain.ok).toBe(true);
    expect(body.transparency?.included).toBe(body.chain.length);
    // Recipients may check it too; others do not learn it exists.
    expect((await verification('snv-clerk')).status).toBe(200);
    expect((await verification('stc-clerk')).status).toBe(404);
  });

  it('hands out a package by a short-lived URL on the intake bucket (expiring), never into the archive', async () => {
    const response = await api<{ url: string; sha256: string; size: number }>(
      'GET',
      `/api/documents/${id}/evidence?redirect=false`,
      { token: await login('city-auditor') },
    );
    expect(response.status).toBe(200);
    const url = new URL(response.body.url);
    expect(url.pathname).toMatch(
      new RegExp(`^/${stack().environment.DOCFLOW_INTAKE_BUCKET}/evidence/${id}/[0-9a-f]{64}\\.zip$`),
    );
    const zip = new Uint8Array(await (await fetch(url)).arrayBuffer());
    expect(zip.length).toBe(response.body.size);
    expect(createHash('sha256').update(zip).digest('hex')).toBe(response.body.sha256);
    expect(Object.keys(unzipSync(zip))).toContain('manifest.json');
  });

  it('packages evidence that verifies offline with nothing but the ZIP and the root certificate', async () => {
    const zip = await evidence();
    const names = Object.keys(unzipSync(zip));
    expect(names).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'manifest.sig.json',
        'log/events.json',
        'log/head.json',
        'verification/report.json',
        'verification/report.html',
        'transparency/tree-head.json',
        'transparency/inclusion-proofs.json',
        'pki/current.crl',
      ]),
    );
    expect(names.filter((n) => n.startsWith('revisions/'))).toHaveLength(3);
    expect(names.some((n) => /^pki\/revision-03\/crl-\d\.crl$/.test(n))).toBe(true);
    // The log exactly as stored: canonical JSON, one event per line.
    const lines = new TextDecoder().decode(unzipSync(zip)['log/events.json']).split('\n').slice(1, -2);
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) {
      const text = line.replace(/,$/, '');
      expect(canonicalize(JSON.parse(text))).toBe(text);
    }

    const result = await evidenceCli(zip, 'untouched.zip', '--json');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, documentId: id, problems: [] });
    const readable = await evidenceCli(zip, 'untouched.zip');
    expect(readable.stdout).toContain('KẾT LUẬN: gói chứng cứ hợp lệ.');
    // Trusting another root, nothing verifies.
    const other = await CertificateAuthority.createRoot({
      signer: InMemorySigner.generate('other-root'),
      subject: { commonName: 'Some other root', country: 'VN' },
      validity: { notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000) },
    });
    await writeFile(join(dir, 'other.pem'), pemEncode('CERTIFICATE', other.certificate));
    const foreign = await docflow(
      'verify-evidence',
      join(dir, 'untouched.zip'),
      '--trust',
      join(dir, 'other.pem'),
    );
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toContain('Người ký manifest');
  });

  it('gives auditors the whole log, the issuer and each recipient their share, anyone else nothing', async () => {
    const manifest = (zip: Uint8Array) =>
      JSON.parse(new TextDecoder().decode(unzipSync(zip)['manifest.json'])) as { share?: { orgId: string } };
    const events = (zip: Uint8Array) =>
      new TextDecoder()
        .decode(unzipSync(zip)['log/events.json'])
        .split('\n')
        .filter((line) => line.trim() !== '');
    const whole = await evidence('city-auditor');
    expect(manifest(whole).share).toBeUndefined();
    for (const [user, orgId] of [
      ['city-clerk', 'ubnd-hanoi'],
      ['snv-clerk', 'so-noi-vu'],
    ] as const) {
      const zip = await evidence(user);
      expect(manifest(zip).share).toEqual({ orgId });
      expect(events(zip).length).toBeLessThan(events(whole).length);
      expect((await verifyEvidence(zip, trust)).ok, user).toBe(true);
    }
    // An organisation the document was not sent to: as if it did not exist.
    const stranger = await api('GET', `/api/documents/${id}/evidence`, { token: await login('stc-clerk') });
    expect(stranger.status).toBe(404);
  });

  it('stores a package in S3 and links to it on request (the route large packages take)', async () => {
    const response = await api<{ url: string; sha256: string; size: number }>(
      'GET',
      `/api/documents/${id}/evidence?redirect=false`,
      { token: await login('city-auditor') },
    );
    expect(response.status).toBe(200);
    const zip = new Uint8Array(await (await fetch(response.body.url)).arrayBuffer());
    expect(zip.length).toBe(response.body.size);
    expect((await verifyEvidence(zip, trust)).ok).toBe(true);
  });
});

describe('tampering behind the system’s back is detected and named', () => {
  it('one byte flipped in the stored current PDF', async () => {
    const Key = `documents/${id}/${currentSha}.pdf`;
    const object = await c.s3.send(new GetObjectCommand({ Bucket: c.archive, Key }));
    const original = await object.Body?.transformToByteArray();
    if (!original) throw new Error('no stored PDF');
    const flipped = new Uint8Array(original);
    flipped[2000] = (flipped[2000] ?? 0) ^ 0x01;
    await c.s3.send(new PutObjectCommand({ Bucket: c.archive, Key, Body: flipped }));
    try {
      const { status, body } = await verification();
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.verdict).toBe('invalid');
      expect(codes(body)).toEqual(expect.arrayContaining(['revision-altered', 'signature-invalid']));
      expect(body.problems.find((p) => p.code === 'revision-altered')?.en).toMatch(
        /^Revision 3 \(issued\) was changed after it was stored: the file hashes to [0-9a-f]{12}…, the log records/,
      );
      expect(body.revisions[2]?.file).toBe('altered');

      const cli = await evidenceCli(await evidence(), 'flipped.zip', '--lang', 'en');
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(/Revision 3 \(issued\) was changed after it was stored/);
      expect(cli.stdout).toMatch(/signature \d .* is NOT valid/);
    } finally {
      await c.s3.send(new PutObjectCommand({ Bucket: c.archive, Key, Body: original }));
    }
    expect((await verification()).body.verdict).toBe('valid');
  });

  it('one log item edited', async () => {
    const original = await logItem(4);
    const event = JSON.parse(String(original.event)) as Record<string, unknown>;
    await putLogItem({ ...original, event: canonicalize({ ...event, at: '2020-01-01T00:00:00.000Z' }) });
    try {
      const { status, body } = await verification();
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.verdict).toBe('invalid');
      expect(codes(body)).toContain('log-hash-mismatch');
      expect(body.problems.find((p) => p.code === 'log-hash-mismatch')?.en).toBe(
        'The circulation log is not intact at event 4 (hash-mismatch): event 4 does not match its hash (edited after it was written).',
      );

      const cli = await evidenceCli(await evidence(), 'edited.zip', '--lang', 'en');
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain('event 4 does not match its hash (edited after it was written)');

      // Edited with its hash recomputed: the next link breaks, and the transparency log remembers.
      const rehashed: Record<string, unknown> = { ...event, at: '2020-01-01T00:00:00.000Z' };
      rehashed.hash = eventHash(rehashed);
      await putLogItem({ ...original, hash: rehashed.hash, event: canonicalize(rehashed) });
      const again = (await verification()).body;
      expect(codes(again)).toEqual(expect.arrayContaining(['log-broken-link', 'transparency-mismatch']));
      expect(again.problems.find((p) => p.code === 'transparency-mismatch')?.en).toMatch(
        /^Event 4 hashes to [0-9a-f]{12}…, but the transparency log recorded [0-9a-f]{12}… at leaf \d+: the event was changed after it was written\.$/,
      );
    } finally {
      await putLogItem(original);
    }
    expect((await verification()).body.verdict).toBe('valid');
  });

  it('one log item deleted', async () => {
    const original = await logItem(2);
    await c.db.send(new DeleteCommand({ TableName: c.logTable, Key: logKey(2) }));
    try {
      const { status, body } = await verification();
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.verdict).toBe('invalid');
      expect(body.problems.find((p) => p.code === 'log-gap')?.en).toBe(
        'The circulation log is not intact at event 3 (gap): seq 2 missing.',
      );
      const cli = await evidenceCli(await evidence(), 'deleted.zip', '--lang', 'en');
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain('not intact at event 3 (gap): seq 2 missing');
    } finally {
      await putLogItem(original);
    }
    expect((await verification()).body.verdict).toBe('valid');
  });

  it('two events swapped', async () => {
    const [five, six] = [await logItem(5), await logItem(6)];
    const { documentId: _a, seq: _b, ...fiveBody } = five;
    const { documentId: _c, seq: _d, ...sixBody } = six;
    await putLogItem({ ...logKey(5), ...sixBody });
    await putLogItem({ ...logKey(6), ...fiveBody });
    try {
      const { status, body } = await verification();
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.verdict).toBe('invalid');
      expect(body.problems.find((p) => p.code === 'log-reordered')?.en).toBe(
        'The circulation log is not intact at event 6 (reordered): seq 6 comes where seq 5 belongs.',
      );
      const cli = await evidenceCli(await evidence(), 'swapped.zip', '--lang', 'en');
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain('seq 6 comes where seq 5 belongs');
    } finally {
      await putLogItem(five);
      await putLogItem(six);
    }
    expect((await verification()).body.verdict).toBe('valid');
  });
});

describe('a package changed after it was made', () => {
  let good: Record<string, Uint8Array>;
  beforeAll(async () => {
    good = unzipSync(await evidence());
  });

  it('a byte flipped in a packaged PDF', async () => {
    const files = { ...good };
    const pdf = Object.keys(files).find((n) => n.startsWith('revisions/02-'));
    if (!pdf) throw new Error('no revision 2');
    const bytes = new Uint8Array(files[pdf] as Uint8Array);
    bytes[3000] = (bytes[3000] ?? 0) ^ 0x01;
    files[pdf] = bytes;
    const check = await verifyEvidence(zipSync(files), trust);
    expect(check.ok).toBe(false);
    const en = check.problems.map((p) => p.en).join('\n');
    expect(en).toContain(`File ${pdf} was changed`);
    expect(en).toMatch(/Revision 2 \(signed\) was changed after it was stored/);
  });

  it('history rewritten consistently (hashes, head and manifest recomputed) is caught by the signatures', async () => {
    const files = { ...good };
    const text = new TextDecoder().decode(files['log/events.json']);
    const events = JSON.parse(text) as Record<string, unknown>[];
    // Rewrite event 3 (the approval) and re-chain everything after it.
    let prev = '';
    const rewritten = events.map((e, i) => {
      const changed: Record<string, unknown> = {
        ...e,
        ...(i === 2 ? { at: '2020-01-01T00:00:00.000Z' } : {}),
      };
      if (i > 0) changed.prevHash = prev;
      changed.hash = eventHash(changed);
      prev = String(changed.hash);
      return changed;
    });
    files['log/events.json'] = strToU8(`[\n${rewritten.map((e) => canonicalize(e)).join(',\n')}\n]\n`);
    const last = rewritten.at(-1) as { seq: number; hash: string };
    files['log/head.json'] = strToU8(JSON.stringify({ seq: last.seq, hash: last.hash }));
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as {
      head: unknown;
      files: { path: string; sha256: string; size: number }[];
    };
    manifest.head = { seq: last.seq, hash: last.hash };
    const { createHash } = await import('node:crypto');
    for (const f of manifest.files) {
      const bytes = files[f.path] as Uint8Array;
      f.sha256 = createHash('sha256').update(bytes).digest('hex');
      f.size = bytes.length;
    }
    files['manifest.json'] = strToU8(JSON.stringify(manifest));
    const check = await verifyEvidence(zipSync(files), trust);
    expect(check.ok).toBe(false);
    const found = check.problems.map((p) => p.code);
    expect(found).toContain('manifest-signature-invalid');
    expect(found).toContain('transparency-mismatch');
    expect(found).not.toContain('log-hash-mismatch');
  });
});

describe('the transparency log', () => {
  it('serves a signed head, inclusion proofs and consistency proofs that the CLI checks', async () => {
    const token = await login('city-auditor');
    const first = await api<{ treeSize: number; rootHash: string }>('GET', '/api/transparency/head', {
      token,
    });
    expect(first.status).toBe(200);
    await writeFile(join(dir, 'head-1.json'), JSON.stringify(first.body));

    const proof = await api<Record<string, unknown> & { path: string[] }>(
      'GET',
      `/api/transparency/proof?documentId=${id}&seq=3`,
      { token },
    );
    expect(proof.status).toBe(200);
    await writeFile(join(dir, 'proof.json'), JSON.stringify(proof.body));
    const event = JSON.parse(String((await logItem(3)).event));
    await writeFile(join(dir, 'event-3.json'), JSON.stringify(event));
    const ok = await docflow(
      'verify-proof',
      join(dir, 'proof.json'),
      '--trust',
      join(dir, 'root.pem'),
      '--event',
      join(dir, 'event-3.json'),
    );
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('KẾT LUẬN: bằng chứng hợp lệ.');

    const bad = {
      ...proof.body,
      path: proof.body.path.map((h, i) => (i === 0 ? `${h[0] === '0' ? '1' : '0'}${h.slice(1)}` : h)),
    };
    await writeFile(join(dir, 'proof-bad.json'), JSON.stringify(bad));
    const rejected = await docflow(
      'verify-proof',
      join(dir, 'proof-bad.json'),
      '--trust',
      join(dir, 'root.pem'),
      '--lang',
      'en',
    );
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(
      new RegExp(`event 3 of document ${id} .* is not at leaf \\d+ of the tree`),
    );
    await writeFile(join(dir, 'event-4.json'), JSON.stringify(JSON.parse(String((await logItem(4)).event))));
    const wrongEvent = await docflow(
      'verify-proof',
      join(dir, 'proof.json'),
      '--trust',
      join(dir, 'root.pem'),
      '--event',
      join(dir, 'event-4.json'),
    );
    expect(wrongEvent.code).toBe(1);

    // The log grows (another recipient registers; the proof request sequences its events).
    await api('POST', `/api/documents/${id}/register`, { token: await login('ba-dinh-clerk'), body: {} });
    const last = (await api<{ chain: { length: number } }>('GET', `/api/documents/${id}`, { token })).body
      .chain.length;
    expect((await api('GET', `/api/transparency/proof?documentId=${id}&seq=${last}`, { token })).status).toBe(
      200,
    );
    const second = await api<{ treeSize: number }>('GET', '/api/transparency/head', { token });
    expect(second.body.treeSize).toBeGreaterThan(first.body.treeSize);

    const consistency = await api<{ from: { treeSize: number }; to: { treeSize: number } }>(
      'GET',
      `/api/transparency/consistency?from=${first.body.treeSize}&to=${second.body.treeSize}`,
      { token },
    );
    expect(consistency.status).toBe(200);
    await writeFile(join(dir, 'consistency.json'), JSON.stringify(consistency.body));
    const consistent = await docflow(
      'verify-proof',
      join(dir, 'consistency.json'),
      '--trust',
      join(dir, 'root.pem'),
      '--head',
      join(dir, 'head-1.json'),
    );
    expect(consistent.code, consistent.stdout + consistent.stderr).toBe(0);

    // A head someone altered (another root for the same size) is refused by its signature.
    const forged = {
      ...consistency.body,
      from: {
        ...consistency.body.from,
        rootHash: first.body.rootHash.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a')),
      },
    };
    await writeFile(join(dir, 'consistency-forged.json'), JSON.stringify(forged));
    const refused = await docflow(
      'verify-proof',
      join(dir, 'consistency-forged.json'),
      '--trust',
      join(dir, 'root.pem'),
      '--lang',
      'en',
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('the signature does not match');
  });
});

describe('auditor search and uploaded PDFs', () => {
  it('finds issued documents by organisation, number and signer, for auditors only', async () => {
    const token = await login('city-auditor');
    const view = await api<{ number: number; symbol: string }>('GET', `/api/documents/${id}`, { token });
    const byNumber = await api<{ items: { documentId: string }[] }>(
      'GET',
      `/api/audit/documents?orgId=ubnd-hanoi&number=${view.body.number}&signer=tran thi huong`,
      { token },
    );
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.items.map((i) => i.documentId)).toEqual([id]);
    const nobody = await api<{ items: unknown[] }>(
      'GET',
      '/api/audit/documents?orgId=ubnd-hanoi&signer=nobody',
      {
        token,
      },
    );
    expect(nobody.body.items).toEqual([]);
    const everywhere = await api<{ items: { documentId: string }[]; organisations: number }>(
      'GET',
      `/api/audit/documents?number=${encodeURIComponent(view.body.symbol)}`,
      { token },
    );
    expect(everywhere.body.items.map((i) => i.documentId)).toContain(id);
    expect(everywhere.body.organisations).toBeGreaterThan(100);
    expect((await api('GET', '/api/audit/documents', { token: await login('city-clerk') })).status).toBe(403);
  });

  it('verifies a PDF uploaded by presigned URL, and names a changed one as invalid', async () => {
    const token = await login('city-auditor');
    const file = await api<{ url: string }>('GET', `/api/documents/${id}/file?redirect=false`, { token });
    const pdf = new Uint8Array(await (await fetch(file.body.url)).arrayBuffer());
    const check = async (bytes: Uint8Array) => {
      const started = await api<{ id: string; upload: { url: string; fields: Record<string, string> } }>(
        'POST',
        '/api/verify',
        { token, body: {} },
      );
      expect(started.status).toBe(201);
      const put = await uploadTo(started.body.upload, bytes);
      expect(put.ok).toBe(true);
      return api<{ report: { verdict: string } }>('POST', `/api/verify/${started.body.id}`, {
        token,
        body: {},
      });
    };
    expect((await check(pdf)).body.report.verdict).toBe('valid');
    const changed = new Uint8Array(pdf);
    changed[1500] = (changed[1500] ?? 0) ^ 0x01;
    expect((await check(changed)).body.report.verdict).toBe('invalid');
    const missing = await api('POST', '/api/verify/2b0d1e3c-7c55-4c7e-9a47-2f5e0d7a1c11', {
      token,
      body: {},
    });
    expect(missing.status).toBe(409);
  });

  it('the CLI verifies a PDF offline and fails on a changed one', async () => {
    const token = await login('city-auditor');
    const file = await api<{ url: string }>('GET', `/api/documents/${id}/file?redirect=false`, { token });
    const pdf = new Uint8Array(await (await fetch(file.body.url)).arrayBuffer());
    await writeFile(join(dir, 'issued.pdf'), pdf);
    const good = await docflow('verify', join(dir, 'issued.pdf'), '--trust', join(dir, 'root.pem'));
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain('KẾT LUẬN: mọi chữ ký hợp lệ.');
    const untrusted = await docflow('verify', join(dir, 'issued.pdf'), '--lang', 'en');
    expect(untrusted.code).toBe(1);
    const changed = new Uint8Array(pdf);
    changed[1500] = (changed[1500] ?? 0) ^ 0x01;
    await writeFile(join(dir, 'changed.pdf'), changed);
    const bad = await docflow('verify', join(dir, 'changed.pdf'), '--trust', join(dir, 'root.pem'), '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).verdict).toBe('invalid');
    expect((await docflow('verify', join(dir, 'nothing.pdf'))).code).toBe(2);
  });
});
