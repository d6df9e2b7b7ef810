// Documents and statuses coming in through the national document exchange: the use case against in-memory
// document ports and the real HTTP adapter taking items from the local exchange simulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpExchange } from '../../lambdas/adapters/exchange-client';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Caller } from '../../lambdas/core/domain/caller';
import { buildPackage } from '../../lambdas/core/exchange/build';
import type { PackageHeaderInput } from '../../lambdas/core/exchange/model';
import {
  actOnReceived,
  receivedHistory,
  receiveFromExchange,
} from '../../lambdas/use-cases/exchange-incoming';
import { type ExchangeSimulator, startExchangeSimulator } from '../../local/exchange-simulator';
import {
  chunked,
  collect,
  decisionPackage,
  edxmlCheck,
  MINISTRY,
  testAppendix,
  testPdf,
} from '../support/exchange';
import { MemoryExchangeLedger, MemoryReceivedDocuments } from '../support/memory-exchange';
import { memoryPorts } from '../support/memory-ports';
import { directory, NOW, people } from '../unit/domain-fixtures';

const wardClerk: Caller = { actor: people.wardClerk as Actor, directory };
const BA_DINH = '000.04.01.H26';

let dataDir: string;
let simulator: ExchangeSimulator;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'docflow-exchange-in-'));
  simulator = await startExchangeSimulator({ dataDir, host: '127.0.0.1' });
});
afterAll(async () => {
  await simulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

let serial = 0;

/** A ministry's công văn to `to`, as another system builds it. */
function ministryHeader(
  to: string[],
  extra: Partial<PackageHeaderInput['messageHeader']> = {},
): PackageHeaderInput {
  serial += 1;
  return {
    messageHeader: {
      from: MINISTRY,
      to: to.map((organId) => ({ organId })),
      documentId: `000.00.00.G22,2026/01/05,${serial}/BNV-CQĐP`,
      code: { codeNumber: String(serial), codeNotation: 'BNV-CQĐP' },
      promulgationInfo: { place: 'Hà Nội', promulgationDate: '2026/01/05' },
      documentType: { type: 1, typeDetail: 18, typeName: 'Công văn' },
      subject: 'Về việc rà soát tổ chức bộ máy',
      signerInfo: { position: 'Thứ trưởng', fullName: 'Nguyễn Văn B' },
      otherInfo: { priority: 1 },
      ...extra,
    },
    traceHeaders: [{ organId: MINISTRY.organId, timestamp: '2026/01/05 08:00:00' }],
    attachments: [{ contentId: 'document', contentType: 'application/pdf', attachmentName: 'cv.pdf' }],
  };
}

async function offer(body: Uint8Array | string, unchecked = false) {
  const response = await fetch(`${simulator.url}/outside/edocs${unchecked ? '?unchecked' : ''}`, {
    method: 'POST',
    body,
  });
  expect(response.status, JSON.stringify(simulator.records().map((r) => [r.direction, r.documentId]))).toBe(
    201,
  );
}
const offerPackage = async (header: PackageHeaderInput) => offer(await collect(decisionPackage(header)));

async function setup() {
  const base = await memoryPorts(directory, Object.values(people), NOW);
  return Object.assign(base, {
    exchange: new HttpExchange(simulator.url),
    ledger: new MemoryExchangeLedger(),
    received: new MemoryReceivedDocuments(),
    schema: edxmlCheck,
  });
}

type Sent = { kind: string; documentId: string; from: string; status?: string; description?: string };
const statusesAbout = async (documentId: string) =>
  ((await (await fetch(`${simulator.url}/sent`)).json()) as Sent[]).filter(
    (r) => r.kind === 'status' && r.documentId === documentId,
  );

describe('documents from outside the city', () => {
  it("arrive in the ward's records once, are acknowledged, and each step of the clerk is told, in order", async () => {
    const ports = await setup();
    const header = ministryHeader([BA_DINH]);
    await offerPackage(header);
    // The first acknowledgement is lost: the item is taken again, and recorded once.
    const acknowledge = ports.exchange.acknowledge.bind(ports.exchange);
    let lost = false;
    ports.exchange.acknowledge = async (id) => {
      if (!lost) {
        lost = true;
        throw new Error('connection reset');
      }
      return acknowledge(id);
    };
    await expect(receiveFromExchange(ports, directory)).rejects.toThrow('connection reset');
    expect(await receiveFromExchange(ports, directory)).toEqual({
      documents: 0,
      duplicates: 1,
      refused: 0,
      statuses: 0,
    });
    expect(await ports.exchange.pending()).toEqual([]);

    const key = `phuong-ba-dinh#${header.messageHeader.documentId}`;
    const record = await ports.received.get(key);
    expect(record).toMatchObject({
      orgId: 'phuong-ba-dinh',
      state: 'arrived',
      from: MINISTRY,
      code: `${header.messageHeader.code.codeNumber}/BNV-CQĐP`,
      subject: 'Về việc rà soát tổ chức bộ máy',
      file: { size: testPdf.length, name: 'cv.pdf' },
    });
    expect(
      Buffer.from(ports.files.revisions.get(`${key}/${record?.file?.sha256}`) ?? []).equals(
        Buffer.from(testPdf),
      ),
    ).toBe(true);

    for (const step of ['accept', 'assign', 'start', 'resolve'] as const)
      await actOnReceived(ports, wardClerk, key, step);
    expect((await receivedHistory(ports, wardClerk, key)).map((e) => e.state)).toEqual([
      'arrived',
      'accepted',
      'assigned',
      'in-progress',
      'done',
    ]);
    await expect(receivedHistory(ports, wardClerk, 'phuong-ba-dinh#khong-co')).rejects.toMatchObject({
      status: 404,
    });
    // Taken in, it is numbered and written in the ward's incoming register with the sender's number.
    const taken = await ports.received.get(key);
    expect(taken?.arrivalNumber).toBeGreaterThan(0);
    const rows = await ports.documents.readRegister('incoming', 'phuong-ba-dinh', 2026);
    expect(rows).toContainEqual(
      expect.objectContaining({
        number: taken?.arrivalNumber,
        arrivalNumber: taken?.arrivalNumber,
        issuer: MINISTRY.organName,
        symbol: `${header.messageHeader.code.codeNumber}/BNV-CQĐP`,
        issuedOn: '2026-01-05',
        docType: 'Công văn',
        subject: 'Về việc rà soát tổ chức bộ máy',
      }),
    );
    const statuses = await statusesAbout(header.messageHeader.documentId);
    expect(statuses.map((s) => [s.from, s.status])).toEqual([
      [BA_DINH, 'arrived'],
      [BA_DINH, 'accepted'],
      [BA_DINH, 'assigned'],
      [BA_DINH, 'in-progress'],
      [BA_DINH, 'done'],
    ]);
  });

  it('are refused with the reason and kept for the clerk: unknown recipient, bad signatures, malformed', async () => {
    const ports = await setup();
    const unknown = ministryHeader(['000.99.99.H26']);
    await offerPackage(unknown);
    const received = await receiveFromExchange(ports, directory);
    expect(received.refused).toBe(1);
    const [refusal] = await statusesAbout(unknown.messageHeader.documentId);
    expect(refusal).toMatchObject({ status: 'refused' });
    expect(refusal?.description).toContain('000.99.99.H26');

    ports.signing.valid = false;
    const forged = ministryHeader([BA_DINH]);
    await offerPackage(forged);
    await receiveFromExchange(ports, directory);
    ports.signing.valid = true;
    expect((await ports.received.get(`phuong-ba-dinh#${forged.messageHeader.documentId}`))?.state).toBe(
      'refused',
    );
    expect((await statusesAbout(forged.messageHeader.documentId)).map((s) => s.status)).toEqual(['refused']);

    // Malformed: no subject (the schema refuses it), and text that is not XML at all.
    const bad = ministryHeader([BA_DINH]);
    const xml = Buffer.from(await collect(decisionPackage(bad))).toString('utf8');
    await offer(xml.replace('<edXML:Subject>', '<edXML:Heading>?</edXML:Heading><edXML:Subject>'), true);
    await offer('not a package', true);
    expect(await receiveFromExchange(ports, directory)).toMatchObject({ refused: 2 });
    const kept = [...ports.received.items.values()].filter(
      (r) => r.key.startsWith('item#') && !r.key.includes('000.99'),
    );
    expect(kept).toHaveLength(2);
    expect(kept.map((r) => r.reason?.en)).toEqual([
      expect.stringMatching(/edXML schema/),
      expect.stringMatching(/not well-formed XML|not edXML/),
    ]);
    const [schemaRefusal] = await statusesAbout(bad.messageHeader.documentId);
    expect(schemaRefusal?.status).toBe('refused');
    expect(schemaRefusal?.description).toMatch(/lược đồ edXML/);
  });

  it('keep every attachment: each PDF verified like the document, other files kept as they came', async () => {
    const ports = await setup();
    const sheet = new TextEncoder().encode('PK bảng tổng hợp');
    const withFiles = (header: PackageHeaderInput): PackageHeaderInput => ({
      ...header,
      attachments: [
        { contentId: 'document', contentType: 'application/pdf', attachmentName: 'cv.pdf' },
        { contentId: 'cid:appendix', contentType: 'application/pdf', attachmentName: 'phu-luc.pdf' },
        {
          contentId: 'sheet',
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          attachmentName: 'bang.xlsx',
        },
      ],
    });
    const bytesOf = (id: string) => (id === 'document' ? testPdf : id === 'sheet' ? sheet : testAppendix);
    const good = withFiles(ministryHeader([BA_DINH]));
    await offer(await collect(buildPackage(good, (id) => chunked(bytesOf(id)))));
    expect((await receiveFromExchange(ports, directory)).documents).toBe(1);
    const key = `phuong-ba-dinh#${good.messageHeader.documentId}`;
    const record = await ports.received.get(key);
    expect(record?.state).toBe('arrived');
    expect(record?.file?.name).toBe('cv.pdf');
    expect(record?.attachments?.map((a) => [a.name, a.size, a.contentType])).toEqual([
      ['cv.pdf', testPdf.length, 'application/pdf'],
      ['phu-luc.pdf', testAppendix.length, 'application/pdf'],
      ['bang.xlsx', sheet.length, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    for (const a of record?.attachments ?? [])
      expect(Buffer.from(ports.files.revisions.get(`${key}/${a.sha256}`) ?? []).length).toBe(a.size);

    // An appendix whose signatures fail refuses the package, naming it; the sender is told why.
    const signing = ports.signing as unknown as {
      verify: (pdf: Uint8Array) => Promise<{ valid: boolean; detail?: unknown; signatures: [] }>;
    };
    signing.verify = async (pdf) =>
      Buffer.from(pdf).equals(Buffer.from(testAppendix))
        ? { valid: false, detail: { vi: 'hỏng', en: 'broken' }, signatures: [] }
        : { valid: true, signatures: [] };
    const forged = withFiles(ministryHeader([BA_DINH]));
    await offer(await collect(buildPackage(forged, (id) => chunked(bytesOf(id)))));
    await receiveFromExchange(ports, directory);
    const refused = await ports.received.get(`phuong-ba-dinh#${forged.messageHeader.documentId}`);
    expect(refused?.state).toBe('refused');
    expect(refused?.reason?.vi).toContain('phu-luc.pdf');
    expect(refused?.reason?.en).toContain('phu-luc.pdf');
    const [told] = await statusesAbout(forged.messageHeader.documentId);
    expect(told).toMatchObject({ status: 'refused' });
    expect(told?.description).toContain('phu-luc.pdf');
  });

  it('take a recall from the sender to the copy received', async () => {
    const ports = await setup();
    const header = ministryHeader([BA_DINH]);
    await offerPackage(header);
    await receiveFromExchange(ports, directory);
    const recall = {
      ...header,
      messageHeader: {
        ...header.messageHeader,
        business: { docType: 'recall' as const, reason: 'Ban hành sai' },
      },
    };
    // The hub takes the recall as a package of its own (another trace).
    const xml = Buffer.from(await collect(decisionPackage(recall))).toString('utf8');
    await offer(xml, true);
    await receiveFromExchange(ports, directory);
    const key = `phuong-ba-dinh#${header.messageHeader.documentId}`;
    expect((await ports.received.get(key))?.state).toBe('recalled');
    expect((await statusesAbout(header.messageHeader.documentId)).map((s) => s.status)).toEqual([
      'arrived',
      'recall-accepted',
    ]);
  });
});
