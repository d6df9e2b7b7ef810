import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDirectory } from '../../lambdas/adapters/directory-store';
import { agencyCodeOf } from '../../lambdas/core/exchange/agency-codes';
import { parsePackage } from '../../lambdas/core/exchange/parse';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { draftDecision } from '../fixtures/documents';
import { api, login, stack } from '../support/api';
import { edxmlCheck, MINISTRY } from '../support/exchange';
import { foreignSigned, ministryPackage, pollExchange } from '../support/exchange-outside';
import { get, issueAs, post, signed, type View } from '../support/flow';
import { nssDbTrusting, pdfsig, tempDir } from '../support/pdf-tools';

/*
 * The national document exchange end to end on the local stack (issue 20): the exchange function and the
 * scheduled poller, their DynamoDB and S3 records, the local exchange simulator as the hub, the other side
 * played by the test as another agency's system would.
 */

const hub = () => stack().services.exchange;
const dir = tempDir('docflow-exchange-');

/** Runs the scheduled poller now, as its schedule would. */
const poll = async (): Promise<View> => (await pollExchange()) as View;

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

let serial = Date.now() % 100_000;
/** A ministry's package to `to`, numbered anew, carrying `pdf`. */
const ministryPackageTo = (to: readonly string[], pdf: Uint8Array) => ministryPackage(to, ++serial, pdf);

describe('the national document exchange through the local stack', () => {
  it('finds agencies in the catalogue by name without diacritics and by code, the city’s own marked as inside', async () => {
    const token = await login('city-clerk');
    type Found = { items: { organId: string; organName: string; city: boolean }[] };
    const byName = await api<Found>(
      'GET',
      `/api/exchange/agencies?query=${encodeURIComponent('van phong chinh phu')}`,
      {
        token,
      },
    );
    expect(byName.status).toBe(200);
    expect(byName.body.items[0]).toEqual({
      organId: '000.00.00.G22',
      organName: 'Văn phòng Chính phủ',
      city: false,
    });
    const city = await api<Found>('GET', '/api/exchange/agencies?query=000.00.00.H26', { token });
    expect(city.body.items[0]).toMatchObject({ organId: '000.00.00.H26', city: true });
    const tooLong = await api('GET', `/api/exchange/agencies?query=${'a'.repeat(300)}`, {
      token,
      headers: { 'accept-language': 'en' },
    });
    expect(tooLong.status).toBe(400);
    expect((await api('GET', '/api/exchange/agencies?query=bo')).status).toBe(401);
  });

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
    const parsed = await parsePackage(
      (async function* () {
        yield bytes;
      })(),
      edxmlCheck,
      (contentId) => {
        const parts: Uint8Array[] = [];
        files.set(contentId, parts);
        return { write: (chunk) => void parts.push(Uint8Array.from(chunk)), end: () => {} };
      },
    );
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
    // Every status in order, named in the reader's language, at the time the ministry gave it.
    const history = await api<{ events: { state: string; stateLabel: string; at: string }[] }>(
      'GET',
      `/api/documents/${id}/external-deliveries/history`,
      { token: await login('city-clerk') },
    );
    expect(history.status).toBe(200);
    const given = history.body.events.filter((e) => e.state === 'arrived' || e.state === 'accepted');
    expect(given.map((e) => [e.stateLabel, e.at])).toEqual([
      ['Đã đến', '2026-01-06T01:00:00.000Z'],
      ['Đã tiếp nhận', '2026-01-06T02:00:00.000Z'],
    ]);
    expect(history.body.events.map((e) => e.state)).toContain('sent');
    const unknown = await api('GET', '/api/documents/khong-co-van-ban-nay/external-deliveries/history', {
      token: await login('city-clerk'),
    });
    expect(unknown.status).toBe(404);
  }, 400_000);

  it("takes a ministry's document signed under a trusted foreign CA into a ward's records, once, and tells the ministry each step in order", async () => {
    Object.assign(process.env, stack().environment);
    const directory = await loadDirectory();
    const baDinh = agencyCodeOf(directory, directory.get('phuong-ba-dinh'));
    const pdf = foreignSigned(await draftDecision(1), 'bnv-signer');
    const sent = ministryPackageTo([baDinh], pdf);
    const { header } = sent;
    const body = await sent.body;
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
    // The ward's history of it, in the reader's language.
    const history = await api<{ events: { state: string; stateLabel: string }[] }>(
      'GET',
      `/api/exchange/received/${mine[0]?.id}/history`,
      { token: await login('ba-dinh-clerk'), headers: { 'accept-language': 'en' } },
    );
    expect(history.body.events.map((e) => e.stateLabel)).toEqual([
      'Arrived',
      'Accepted',
      'Assigned',
      'In progress',
      'Done',
    ]);
    const none = await api(
      'GET',
      `/api/exchange/received/${Buffer.from('x#y').toString('base64url')}/history`,
      {
        token: await login('ba-dinh-clerk'),
      },
    );
    expect(none.status).toBe(404);
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
    const unknown = ministryPackageTo(
      ['999.99.99.H26'],
      foreignSigned(await draftDecision(1), 'bnv-signer-2'),
    );
    await offer(await unknown.body);
    const malformed = ministryPackageTo(['000.00.00.H26'], new TextEncoder().encode('%PDF-1.7'));
    const text = Buffer.from(await malformed.body).toString('utf8');
    // Its manifest names an attachment the package does not carry.
    const stripped = text.replace(/<Attachment>[\s\S]*<\/Attachment>/, '');
    expect(stripped).not.toBe(text);
    await offer(stripped, true);
    const summary = await poll();
    expect(summary.refused).toBeGreaterThanOrEqual(2);

    const refusals = (await sentToHub()).filter((r) => r.kind === 'status' && r.status === 'refused');
    expect(refusals.some((r) => r.documentId === unknown.header.messageHeader.documentId)).toBe(true);
    expect(refusals.some((r) => r.documentId === malformed.header.messageHeader.documentId)).toBe(true);

    const kept = await api<View>('GET', '/api/exchange/received', {
      token: await login('city-clerk'),
      headers: { 'accept-language': 'en' },
    });
    const codes = (kept.body.items as View[]).filter((r) => r.state === 'refused').map((r) => r.code);
    expect(codes).toContain(`${unknown.header.messageHeader.code.codeNumber}/BNV-CQĐP`);
    expect(codes).toContain(`${malformed.header.messageHeader.code.codeNumber}/BNV-CQĐP`);
    const reason = (kept.body.items as View[]).find(
      (r) => r.code === `${unknown.header.messageHeader.code.codeNumber}/BNV-CQĐP`,
    )?.reason;
    expect(reason).toBe('No organisation here has the agency code 999.99.99.H26.');
  });
});
