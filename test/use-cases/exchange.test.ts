// Sending to agencies outside the city through the national document exchange: the use case against
// in-memory document ports and the real HTTP adapter talking to the local exchange simulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpExchange } from '../../lambdas/adapters/exchange-client';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Caller } from '../../lambdas/core/domain/caller';
import { DomainError } from '../../lambdas/core/errors';
import { exchangeTimestamp } from '../../lambdas/core/exchange/from-document';
import { type AttachmentSink, parsePackage } from '../../lambdas/core/exchange/parse';
import { exchangeMessages } from '../../lambdas/core/i18n/exchange';
import { createDraft, outgoingCommand, recordContent } from '../../lambdas/use-cases/drafts';
import {
  applyExternalStatus,
  type ExchangePorts,
  externalDeliveries,
  externalDeliveryHistory,
  sendExternal,
  transmit,
} from '../../lambdas/use-cases/exchange';
import { issue as makeIssue, requestIssue } from '../../lambdas/use-cases/issuing';
import { sign as makeSignature, requestSignature } from '../../lambdas/use-cases/signing';
import { type ExchangeSimulator, startExchangeSimulator } from '../../local/exchange-simulator';
import { authorizeAll } from '../support/authorize';
import { edxmlCheck, MINISTRY } from '../support/exchange';
import { MemoryExchangeLedger, MemoryOutgoingRegister } from '../support/memory-exchange';
import { memoryPorts } from '../support/memory-ports';
import { directory, NOW, people } from '../unit/domain-fixtures';

const callerOf = (actor: Actor): Caller => ({ actor, directory });
const chairman = callerOf(people.chairman);
const specialist = callerOf(people.citySpecialist);
const clerk = callerOf(people.cityClerk);
const PROVINCE = { organId: '000.00.00.H29', organName: 'Ủy ban nhân dân tỉnh Hải Phòng' };

let dataDir: string;
let simulator: ExchangeSimulator;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'docflow-exchange-uc-'));
  simulator = await startExchangeSimulator({ dataDir, host: '127.0.0.1' });
});
afterAll(async () => {
  await simulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function setup(exchangeUrl = simulator.url) {
  const base = await memoryPorts(directory, Object.values(people), NOW);
  const ports: typeof base & ExchangePorts & { outgoingRegister: MemoryOutgoingRegister } = Object.assign(
    base,
    {
      exchange: new HttpExchange(exchangeUrl),
      ledger: new MemoryExchangeLedger(),
      outgoingRegister: new MemoryOutgoingRegister(),
      schema: edxmlCheck,
    },
  );
  return ports;
}
type Ports = Awaited<ReturnType<typeof setup>>;

async function issuedDecision(ports: Ports, subject: string) {
  const { id } = await createDraft(ports, specialist, {
    typeId: 'quyet-dinh',
    subject,
    urgency: 'urgent',
    recipients: [],
  });
  ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode(`%PDF-1.7 ${subject}`));
  await recordContent(ports, specialist, id);
  await outgoingCommand(ports, specialist, id, { type: 'submit' });
  await outgoingCommand(ports, chairman, id, { type: 'approve' });
  const signature = await requestSignature(ports, chairman, id, {});
  await authorizeAll(ports, chairman, [signature.requestId]);
  await makeSignature(ports, chairman, id, signature.requestId);
  const seal = await requestIssue(ports, clerk, id);
  await authorizeAll(ports, clerk, [seal.requestId]);
  await makeIssue(ports, clerk, id, seal.requestId);
  return id;
}

type Sent = { id: string; kind: string; documentId: string; to: string[] };
const sentPackages = async (documentId: string) =>
  ((await (await fetch(`${simulator.url}/sent`)).json()) as Sent[]).filter(
    (r) => r.kind === 'document' && r.documentId === documentId,
  );

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const e = error as DomainError;
  return {
    code: e.code,
    status: e.status,
    vi: exchangeMessages.render(e.code as never, 'vi', e.params as never),
  };
}

describe('sending outside the city', () => {
  it('hands a schema-valid package with the issued PDF to the exchange, once per send', async () => {
    const ports = await setup();
    const id = await issuedDecision(ports, 'Về việc phối hợp quản lý dân cư');
    const deliveries = await sendExternal(ports, clerk, id, [MINISTRY, PROVINCE]);
    expect(deliveries.map((d) => [d.organId, d.state])).toEqual([
      [MINISTRY.organId, 'sent'],
      [PROVINCE.organId, 'sent'],
    ]);
    const documentId = deliveries[0]?.exchangeDocumentId ?? '';
    expect(documentId).toMatch(/^000\.00\.00\.H26,\d{4}\/\d{2}\/\d{2},01\/QĐ-UBND$/);
    const [stored, ...others] = await sentPackages(documentId);
    expect(others).toEqual([]);
    expect(stored?.to).toEqual([MINISTRY.organId, PROVINCE.organId]);

    // What the exchange holds is the package a ministry reads: schema-valid, the issued file byte for byte.
    const response = await fetch(`${simulator.url}/sent/${stored?.id}`);
    const parts: Uint8Array[] = [];
    const sink = (): AttachmentSink => ({ write: (b) => void parts.push(Uint8Array.from(b)), end: () => {} });
    const parsed = await parsePackage(response.body as AsyncIterable<Uint8Array>, edxmlCheck, sink);
    const doc = (await ports.documents.read(id)).document;
    if (!doc) throw new Error('no document');
    expect(
      Buffer.concat(parts).equals(Buffer.from(await ports.files.readRevision(id, doc.documentSha256))),
    ).toBe(true);
    expect(parsed.header.messageHeader.subject).toBe('Về việc phối hợp quản lý dân cư');
    expect(parsed.header.messageHeader.otherInfo.priority).toBe(1);

    // The outgoing register's row names them, once, however often the send is repeated.
    await sendExternal(ports, clerk, id, [MINISTRY]);
    expect([...ports.outgoingRegister.rows.values()]).toEqual([
      [`${MINISTRY.organName} (${MINISTRY.organId})`, `${PROVINCE.organName} (${PROVINCE.organId})`],
    ]);
  });

  it('keeps the deliveries pending while the exchange is down, and sends them once when it is back', async () => {
    const ports = await setup('http://127.0.0.1:9');
    const id = await issuedDecision(ports, 'Về việc gửi khi Trục chưa kết nối được');
    const waiting = await sendExternal(ports, clerk, id, [MINISTRY]);
    expect(waiting.map((d) => d.state)).toEqual(['pending']);
    Object.assign(ports, { exchange: new HttpExchange(simulator.url) });
    await transmit(ports, clerk, id);
    const [sent] = await ports.ledger.deliveries(id);
    expect(sent?.state).toBe('sent');
    // The answer lost after the hub took it: the retry sends the same package, which the hub knows.
    await ports.ledger.put({ ...(sent as NonNullable<typeof sent>), state: 'pending' });
    await transmit(ports, clerk, id);
    expect((await ports.ledger.deliveries(id)).map((d) => [d.state, d.exchangeId])).toEqual([
      ['sent', sent?.exchangeId],
    ]);
    expect(await sentPackages(sent?.exchangeDocumentId ?? '')).toHaveLength(1);
  });

  it("shows each agency's status as its statuses come back, the latest given winning", async () => {
    const ports = await setup();
    const id = await issuedDecision(ports, 'Về việc theo dõi trạng thái');
    const [delivery] = await sendExternal(ports, clerk, id, [MINISTRY]);
    const status = (s: 'arrived' | 'refused' | 'accepted', minutes: number, description?: string) => ({
      responseFor: {
        organId: '000.00.00.H26',
        code: '01/QĐ-UBND',
        promulgationDate: '2026/01/05',
        documentId: delivery?.exchangeDocumentId ?? '',
      },
      from: MINISTRY,
      status: s,
      timestamp: exchangeTimestamp(new Date(NOW.getTime() + minutes * 60_000)),
      ...(description ? { description } : {}),
    });
    expect(await applyExternalStatus(ports, status('arrived', 1))).toBe(true);
    expect((await externalDeliveries(ports, clerk, id))[0]?.state).toBe('arrived');
    expect(await applyExternalStatus(ports, status('refused', 5, 'Sai thẩm quyền'))).toBe(true);
    expect(await applyExternalStatus(ports, status('accepted', 3))).toBe(true);
    const [now] = await externalDeliveries(ports, clerk, id);
    expect([now?.state, now?.description]).toEqual(['refused', 'Sai thẩm quyền']);
    const unknown = {
      ...status('arrived', 1),
      responseFor: { ...status('arrived', 1).responseFor, documentId: 'x' },
    };
    expect(await applyExternalStatus(ports, unknown)).toBe(false);
    // The history keeps every status, the late one too, oldest given first.
    const history = await externalDeliveryHistory(ports, clerk, id);
    expect(history.map((d) => d.state).sort()).toEqual(['accepted', 'arrived', 'pending', 'refused', 'sent']);
    expect(history.map((d) => d.updatedAt)).toEqual(history.map((d) => d.updatedAt).sort());
    const given = history.filter((d) => !['pending', 'sent'].includes(d.state));
    expect(given.map((d) => [d.state, d.description])).toEqual([
      ['arrived', undefined],
      ['accepted', undefined],
      ['refused', 'Sai thẩm quyền'],
    ]);
  });

  it('refuses a sender who is not the clerk, an internal code, and a document not issued', async () => {
    const ports = await setup();
    const id = await issuedDecision(ports, 'Về việc kiểm tra quyền gửi');
    expect((await refusal(sendExternal(ports, chairman, id, [MINISTRY]))).code).toBe('exchange_clerk_only');
    const internal = await refusal(sendExternal(ports, clerk, id, [{ organId: '000.04.01.H26' }]));
    expect(internal.code).toBe('exchange_internal_recipient');
    expect(internal.vi).toContain('phường Ba Đình');
    const { id: draft } = await createDraft(ports, specialist, {
      typeId: 'quyet-dinh',
      subject: 'Dự thảo',
      urgency: 'normal',
      recipients: [],
    });
    expect((await refusal(sendExternal(ports, clerk, draft, [MINISTRY]))).code).toMatch(
      /not_found|exchange_not_issued/,
    );
    expect(await ports.ledger.deliveries(draft)).toEqual([]);
  });
});
