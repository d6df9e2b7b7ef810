import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { loadDirectory } from '../../lambdas/adapters/directory-store';
import { agencyCodeOf } from '../../lambdas/core/exchange/agency-codes';
import { buildPackage } from '../../lambdas/core/exchange/build';
import type { PackageHeaderInput } from '../../lambdas/core/exchange/model';
import { parsePackage } from '../../lambdas/core/exchange/parse';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { draftDecision } from '../fixtures/documents';
import { api, login, stack } from '../support/api';
import { collect, edxmlCheck, MINISTRY } from '../support/exchange';
import { get, issueAs, post, signed, type View } from '../support/flow';
import { nssDbTrusting, pdfsig, requireTool, tempDir } from '../support/pdf-tools';

/*
 * The national document exchange end to end on the local stack (issue 20): the exchange function and the
 * scheduled poller, their DynamoDB and S3 records, the local exchange simulator as the hub, the other side
 * played by the test as another agency's system would.
 */

const hub = () => stack().services.exchange;
const dir = tempDir('docflow-exchange-');
const EXTERNAL_CA = resolve(import.meta.dirname, '..', 'fixtures', 'external-ca');

/** Runs the scheduled poller now, as its schedule would. */
async function poll(): Promise<View> {
  const lambda = new LambdaClient({
    endpoint: stack().environment.AWS_ENDPOINT_URL_LAMBDA,
    region: stack().environment.AWS_REGION,
    // The operator's, as EventBridge's role would: invoking needs lambda:InvokeFunction.
    credentials: {
      accessKeyId: stack().environment.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: stack().environment.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
  try {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'exchangePoller', Payload: '{}' }));
    const text = new TextDecoder().decode(out.Payload);
    expect(out.FunctionError, text).toBeUndefined();
    return JSON.parse(text) as View;
  } finally {
    lambda.destroy();
  }
}

interface HubRecord {
  id: string;
  kind: string;
  from: string;
  to: string[];
  documentId: string;
  status?: string;
  description?: string;
}
const sentToHub = async (): Promise<HubRecord[]> =>
  (await (await fetch(`${hub()}/sent`)).json()) as HubRecord[];

async function offer(body: Uint8Array | string, unchecked = false): Promise<void> {
  const response = await fetch(`${hub()}/outside/edocs${unchecked ? '?unchecked' : ''}`, {
    method: 'POST',
    body,
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

/** A PDF signed, as a ministry's own system signs, by a key certified by the external CA the city trusts. */
function foreignSigned(pdf: Uint8Array, name: string): Uint8Array {
  requireTool('pdfsig');
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  const ext = join(dir, `${name}.ext`);
  const p12 = join(dir, `${name}.p12`);
  const db = join(dir, `${name}-db`);
  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key]);
  execFileSync('openssl', [
    'req',
    '-new',
    '-key',
    key,
    '-subj',
    '/C=VN/O=Bộ Nội vụ/CN=Nguyễn Văn B',
    '-utf8',
    '-out',
    csr,
  ]);
  writeFileSync(ext, 'keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n');
  execFileSync('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    join(EXTERNAL_CA, 'root.pem'),
    '-CAkey',
    join(EXTERNAL_CA, 'root.key'),
    '-CAcreateserial',
    '-CAserial',
    join(dir, `${name}.srl`),
    '-days',
    '365',
    '-extfile',
    ext,
    '-out',
    cert,
  ]);
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    key,
    '-in',
    cert,
    '-certfile',
    join(EXTERNAL_CA, 'root.pem'),
    '-name',
    name,
    '-passout',
    'pass:',
    '-out',
    p12,
  ]);
  execFileSync('mkdir', ['-p', db]);
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  execFileSync('pk12util', ['-i', p12, '-d', `sql:${db}`, '-W', '']);
  const input = join(dir, `${name}-in.pdf`);
  const output = join(dir, `${name}-signed.pdf`);
  writeFileSync(input, pdf);
  execFileSync('pdfsig', ['-nssdir', `sql:${db}`, '-add-signature', '-nick', name, input, output]);
  return new Uint8Array(readFileSync(output));
}

let serial = Date.now() % 100_000;
function ministryHeader(to: readonly string[]): PackageHeaderInput {
  serial += 1;
  return {
    messageHeader: {
      from: MINISTRY,
      to: to.map((organId) => ({ organId })),
      documentId: `${MINISTRY.organId},2026/01/05,${serial}/BNV-CQĐP`,
      code: { codeNumber: String(serial), codeNotation: 'BNV-CQĐP' },
      promulgationInfo: { place: 'Hà Nội', promulgationDate: '2026/01/05' },
      documentType: { type: 1, typeDetail: 18, typeName: 'Công văn' },
      subject: `Về việc rà soát tổ chức bộ máy (${serial})`,
      signerInfo: { position: 'Thứ trưởng', fullName: 'Nguyễn Văn B' },
      otherInfo: { priority: 1 },
    },
    traceHeaders: [{ organId: MINISTRY.organId, timestamp: '2026/01/05 08:00:00' }],
    attachments: [{ contentId: 'document', contentType: 'application/pdf', attachmentName: 'cv.pdf' }],
  };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
const packageOf = (header: PackageHeaderInput, pdf: Uint8Array) =>
  collect(buildPackage(header, () => once(pdf)));

describe('the national document exchange through the local stack', () => {
  it("sends a decision of UBND to a ministry as a schema-valid edXML package whose PDF verifies in pdfsig, and shows the ministry's statuses", async () => {
    const id = await signed();
    await issueAs('city-clerk', id);
    // Only the issuing organisation's clerk sends outside.
    const refused = await api('POST', `/api/documents/${id}/external-sends`, {
      token: await login('city-vice-chairman'),
      body: { recipients: [MINISTRY] },
    });
    expect(refused.status).toBe(403);
    const out = await post('city-clerk', `/api/documents/${id}/external-sends`, { recipients: [MINISTRY] });
    expect(out.deliveries).toEqual([
      expect.objectContaining({ organId: MINISTRY.organId, state: 'sent', stateLabel: 'Đã gửi lên Trục' }),
    ]);
    const document = await get('city-clerk', `/api/documents/${id}`);
    // The outgoing register's row names the ministry among the recipients.
    const outgoing = await get('city-clerk', '/api/registers/outgoing');
    const row = (outgoing.entries as View[]).find((e) => e.documentId === id);
    expect(row?.recipients).toContain(`${MINISTRY.organName} (${MINISTRY.organId})`);
    const record = (await sentToHub()).find(
      (r) =>
        r.kind === 'document' &&
        r.documentId.endsWith(`,${document.symbol}`) &&
        r.to.includes(MINISTRY.organId),
    );
    expect(record, 'the hub received the package').toBeDefined();
    const bytes = new Uint8Array(await (await fetch(`${hub()}/sent/${record?.id}`)).arrayBuffer());
    const files = new Map<string, Uint8Array[]>();
    const parsed = await parsePackage(once(bytes), edxmlCheck, (contentId) => {
      const parts: Uint8Array[] = [];
      files.set(contentId, parts);
      return { write: (chunk) => void parts.push(Uint8Array.from(chunk)), end: () => {} };
    });
    expect(parsed.header.messageHeader.code.codeNotation).toBe(String(document.symbol).split('/')[1]);
    const pdf = Buffer.concat(files.get('document') ?? []);
    const roots = await api<string>('GET', '/api/pki/roots');
    const file = join(dir, 'sent.pdf');
    writeFileSync(file, pdf);
    const { signatures } = pdfsig(file, nssDbTrusting(pemDecodeAll(roots.body, 'CERTIFICATE')));
    expect(signatures.length).toBeGreaterThanOrEqual(2);
    for (const s of signatures) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }

    // The ministry answers: arrived, then accepted; the sender sees them in its language.
    const documentId = parsed.header.messageHeader.documentId;
    const { buildStatus } = await import('../../lambdas/core/exchange/build');
    for (const [status, at] of [
      ['arrived', '2026/01/06 08:00:00'],
      ['accepted', '2026/01/06 09:00:00'],
    ] as const) {
      const xml = buildStatus({
        responseFor: {
          organId: parsed.header.messageHeader.from.organId,
          code: `${parsed.header.messageHeader.code.codeNumber}/${parsed.header.messageHeader.code.codeNotation}`,
          promulgationDate: parsed.header.messageHeader.promulgationInfo.promulgationDate,
          documentId,
        },
        from: MINISTRY,
        status,
        timestamp: at,
      });
      const response = await fetch(`${hub()}/outside/statuses`, { method: 'POST', body: xml });
      expect(response.status, await response.text()).toBe(201);
    }
    expect((await poll()).statuses).toBeGreaterThanOrEqual(2);
    const view = await api<View>('GET', `/api/documents/${id}/external-deliveries`, {
      token: await login('city-clerk'),
      headers: { 'accept-language': 'en' },
    });
    expect(view.body.deliveries).toEqual([
      expect.objectContaining({ organId: MINISTRY.organId, state: 'accepted', stateLabel: 'Accepted' }),
    ]);
  }, 400_000);

  it("takes a ministry's document signed under a trusted foreign CA into a ward's records, once, and tells the ministry each step in order", async () => {
    Object.assign(process.env, stack().environment);
    const directory = await loadDirectory();
    const baDinh = agencyCodeOf(directory, directory.get('phuong-ba-dinh'));
    const header = ministryHeader([baDinh]);
    const pdf = foreignSigned(await draftDecision(1), 'bnv-signer');
    const body = await packageOf(header, pdf);
    await offer(body);
    await poll();
    // The same package again (the ministry's retry, under a new exchange item): recorded once.
    await offer(body, true);
    await poll();

    const list = await get('ba-dinh-clerk', '/api/exchange/received');
    const mine = (list.items as View[]).filter((r) => r.code === `${serial}/BNV-CQĐP`);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      orgId: 'phuong-ba-dinh',
      state: 'arrived',
      from: { organId: MINISTRY.organId },
      subject: header.messageHeader.subject,
      file: { size: pdf.length, name: 'cv.pdf' },
    });
    for (const step of ['accept', 'assign', 'start', 'resolve'])
      await post('ba-dinh-clerk', `/api/exchange/received/${mine[0]?.id}/steps`, { step });
    const statuses = (await sentToHub())
      .filter((r) => r.kind === 'status' && r.documentId === header.messageHeader.documentId)
      .map((r) => [r.from, r.status]);
    expect(statuses).toEqual([
      [baDinh, 'arrived'],
      [baDinh, 'accepted'],
      [baDinh, 'assigned'],
      [baDinh, 'in-progress'],
      [baDinh, 'done'],
    ]);
    // Taken in, it is in the ward's incoming register with the ministry's name and number.
    const register = await get('ba-dinh-clerk', '/api/registers/incoming?orgId=phuong-ba-dinh');
    expect(register.entries).toContainEqual(
      expect.objectContaining({
        issuer: MINISTRY.organName,
        symbol: `${serial}/BNV-CQĐP`,
        subject: header.messageHeader.subject,
        docType: 'Công văn',
      }),
    );
    // Another ward's clerk does not see it, nor act on it.
    const other = await get('hoan-kiem-clerk', '/api/exchange/received');
    expect((other.items as View[]).some((r) => r.code === `${serial}/BNV-CQĐP`)).toBe(false);
  });

  it('refuses malformed and unknown-recipient packages with a status message, and keeps them for the clerk', async () => {
    const unknown = ministryHeader(['999.99.99.H26']);
    await offer(await packageOf(unknown, foreignSigned(await draftDecision(1), 'bnv-signer-2')));
    const malformed = ministryHeader(['000.00.00.H26']);
    const text = Buffer.from(await packageOf(malformed, new TextEncoder().encode('%PDF-1.7'))).toString(
      'utf8',
    );
    // Its manifest names an attachment the package does not carry.
    const stripped = text.replace(/<edXML:Attachment>[\s\S]*<\/edXML:Attachment>/, '');
    expect(stripped).not.toBe(text);
    await offer(stripped, true);
    const summary = await poll();
    expect(summary.refused).toBeGreaterThanOrEqual(2);

    const refusals = (await sentToHub()).filter((r) => r.kind === 'status' && r.status === 'refused');
    expect(refusals.some((r) => r.documentId === unknown.messageHeader.documentId)).toBe(true);
    expect(refusals.some((r) => r.documentId === malformed.messageHeader.documentId)).toBe(true);

    const kept = await api<View>('GET', '/api/exchange/received', {
      token: await login('city-clerk'),
      headers: { 'accept-language': 'en' },
    });
    const codes = (kept.body.items as View[]).filter((r) => r.state === 'refused').map((r) => r.code);
    expect(codes).toContain(`${unknown.messageHeader.code.codeNumber}/BNV-CQĐP`);
    expect(codes).toContain(`${malformed.messageHeader.code.codeNumber}/BNV-CQĐP`);
    const reason = (kept.body.items as View[]).find(
      (r) => r.code === `${unknown.messageHeader.code.codeNumber}/BNV-CQĐP`,
    )?.reason;
    expect(reason).toBe('No organisation here has the agency code 999.99.99.H26.');
  });
});
