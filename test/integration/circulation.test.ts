import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { PDF, PdfString } from '@libpdf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../lambdas/core/log/chain';
import { ISSUE_FIELDS } from '../../lambdas/core/pdf/stamp';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { api, stack, useStack } from '../support/api';
import { draft, get, issueAs, post, signAs, signed, type View } from '../support/flow';
import { type RunningStack, startStackProcess } from '../support/global-setup';
import { nssDbTrusting, pdfsig, tempDir } from '../support/pdf-tools';

/**
 * The whole circulation of one Quyết định through the HTTP API, on a stack of its own (a fresh year of
 * numbering): drafted by a city specialist, signed KT. by the vice-chairman, issued and sealed by the city
 * clerk, sent to all 126 wards and communes and two departments, then handled differently by each.
 */

let running: RunningStack;
beforeAll(async () => {
  running = await startStackProcess();
  useStack(running.info);
}, 120_000);
afterAll(async () => {
  useStack(undefined);
  await running?.stop();
});

async function fileOf(id: string, userId: string): Promise<Uint8Array> {
  const { url } = await get(userId, `/api/documents/${id}/file?redirect=false`);
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

async function fieldValue(pdfBytes: Uint8Array, name: string): Promise<string | undefined> {
  const pdf = await PDF.load(pdfBytes);
  const value = pdf.getForm()?.getField(name)?.getDict().get('V');
  return value instanceof PdfString ? value.asString() : undefined;
}

describe('a city decision from draft to every recipient', () => {
  let id: string;
  let issued: View;

  it('is drafted by a city specialist, approved, and signed KT. by the vice-chairman', async () => {
    id = await draft({
      drafter: 'city-specialist',
      docType: 'quyet-dinh',
      title: 'Về việc ban hành Quy chế văn thư',
    });
    await post('city-specialist', `/api/documents/${id}/submit`);
    await post('city-chairman', `/api/documents/${id}/approve`, { signerId: 'city-vice-chairman' });
    const signed = await signAs('city-vice-chairman', id, { capacity: 'KT', onBehalfOfCollective: true });
    expect(signed.state).toBe('SIGNED');
    expect(signed.signatures).toHaveLength(1);
    expect(signed.signatures[0]).toMatchObject({
      kind: 'person',
      signerId: 'city-vice-chairman',
      capacity: { kind: 'KT', onBehalfOfCollective: true },
      lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
    });
  });

  it('is issued by the city clerk as 01/QĐ-UBND, the number stamped on the PDF, every signature valid', async () => {
    issued = await issueAs('city-clerk', id);
    expect(issued).toMatchObject({ state: 'ISSUED', number: 1, symbol: '01/QĐ-UBND' });
    expect(issued.signatures.map((s: View) => s.kind)).toEqual(['person', 'organisation']);

    const pdf = await fileOf(id, 'city-clerk');
    expect(await fieldValue(pdf, ISSUE_FIELDS.number)).toBe('Số: 01/QĐ-UBND');
    expect(await fieldValue(pdf, ISSUE_FIELDS.date)).toMatch(/^Hà Nội, ngày \d{2} tháng \d{2} năm \d{4}$/);

    const roots = await api<string>('GET', '/api/pki/roots');
    const dir = tempDir();
    const file = join(dir, 'issued.pdf');
    writeFileSync(file, pdf);
    const { signatures } = pdfsig(file, nssDbTrusting(pemDecodeAll(roots.body, 'CERTIFICATE')));
    expect(signatures).toHaveLength(2);
    for (const s of signatures) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }

    const register = await get('city-clerk', '/api/registers/outgoing');
    expect(register.entries).toContainEqual(
      expect.objectContaining({ number: 1, symbol: '01/QĐ-UBND', documentId: id }),
    );
  });

  it('is sent to all 126 wards and communes and two departments; every recipient has it in its inbox', async () => {
    const sent = await post('city-clerk', `/api/documents/${id}/send`, {
      recipients: ['all-wards', 'so-noi-vu', 'so-tai-chinh'],
    });
    expect(sent.state).toBe('SENT');
    expect(sent.deliveries).toHaveLength(128);
    expect(sent.deliveries.every((d: View) => d.status === 'arrived' && d.exchangeCode === '01')).toBe(true);

    for (const clerk of ['ba-dinh-clerk', 'hoan-kiem-clerk', 'soc-son-clerk', 'snv-clerk', 'stc-clerk']) {
      const inbox = await get(clerk, '/api/inbox?folder=incoming');
      expect(inbox.items.map((i: View) => i.id)).toContain(id);
    }
    // Recipients without a demo clerk: their inbox partition is what GET /api/inbox would query.
    const dynamo = new DynamoDBClient({
      endpoint: stack().services.dynamodb,
      region: stack().environment.AWS_REGION,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      for (const delivery of sent.deliveries as View[]) {
        const page = await dynamo.send(
          new QueryCommand({
            TableName: stack().environment.DOCFLOW_VIEWS_TABLE,
            IndexName: 'inbox',
            KeyConditionExpression: 'inboxPk = :p',
            ExpressionAttributeValues: { ':p': { S: `${delivery.orgId}#incoming` } },
          }),
        );
        expect(
          page.Items?.some((item) => item.pk?.S === `DOC#${id}`),
          delivery.orgId,
        ).toBe(true);
      }
    } finally {
      dynamo.destroy();
    }
  });

  it('is registered by one ward, assigned with a deadline, and resolved with a reply', async () => {
    const registered = await post('ba-dinh-clerk', `/api/documents/${id}/register`);
    expect(registered.record).toMatchObject({
      state: 'PRESENTED',
      arrivalNumber: 1,
      presentedTo: 'ba-dinh-chairman',
    });

    const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const assigned = await post('ba-dinh-chairman', `/api/documents/${id}/assign`, {
      lead: 'ba-dinh-specialist',
      deadline,
      note: 'Giao chuyên viên nghiên cứu, triển khai và báo cáo.',
    });
    expect(assigned.record).toMatchObject({ state: 'ASSIGNED', assignment: { deadline } });
    const assignedInbox = await get('ba-dinh-specialist', '/api/inbox?folder=assigned');
    expect(assignedInbox.items.map((i: View) => i.id)).toContain(id);

    // The reply is a document the ward has issued (a draft is refused: use-cases/references.ts).
    const reply = await signed(
      {
        drafter: 'ba-dinh-specialist',
        approver: 'ba-dinh-chairman',
        signer: 'ba-dinh-vice-chairman',
        capacity: { capacity: 'KT', onBehalfOfCollective: true },
      },
      { docType: 'bao-cao', title: 'Báo cáo triển khai Quy chế văn thư' },
    );
    await issueAs('ba-dinh-clerk', reply);
    const resolved = await post('ba-dinh-specialist', `/api/documents/${id}/resolve`, {
      replyId: reply,
      note: 'Đã triển khai.',
    });
    expect(resolved.record).toMatchObject({ state: 'RESOLVED', replyDocumentId: reply });

    const incomingRegister = await get('ba-dinh-clerk', '/api/registers/incoming');
    expect(incomingRegister.entries).toContainEqual(
      expect.objectContaining({ arrivalNumber: 1, symbol: '01/QĐ-UBND', documentId: id }),
    );
  });

  it('is returned by another ward with a reason', async () => {
    const returned = await post('hoan-kiem-clerk', `/api/documents/${id}/return`, {
      reason: 'Văn bản gửi nhầm đơn vị; đề nghị kiểm tra lại nơi nhận.',
    });
    expect(returned.record).toMatchObject({ state: 'RETURNED' });
  });

  it("shows the city each recipient's status, and the log chain verifies from first event to last", async () => {
    const view = await get('city-clerk', `/api/documents/${id}`);
    const status = Object.fromEntries((view.deliveries as View[]).map((d) => [d.orgId, d.status]));
    expect(status['phuong-ba-dinh']).toBe('done');
    expect(status['phuong-hoan-kiem']).toBe('refused');
    expect(status['xa-soc-son']).toBe('arrived');
    expect(status['so-noi-vu']).toBe('arrived');
    expect(Object.keys(status)).toHaveLength(128);

    expect(view.chain).toMatchObject({ valid: true });
    const types = (view.log as View[]).map((e) => e.type);
    expect(types.slice(0, 6)).toEqual(['created', 'submitted', 'approved', 'signed', 'issued', 'sent']);
    expect(types.filter((t) => t === 'arrived')).toHaveLength(128);
    // The city sees each recipient's receipt, not its handling: the ward's direction stays with the ward.
    expect(types).toEqual(expect.arrayContaining(['registered', 'returned-to-sender']));
    expect(types).not.toContain('assigned');
    expect(JSON.stringify(view)).not.toContain('Giao chuyên viên nghiên cứu');
    const ward = await get('ba-dinh-clerk', `/api/documents/${id}`);
    const wardTypes = (ward.log as View[]).map((e) => e.type);
    expect(wardTypes).toEqual(expect.arrayContaining(['signed', 'issued', 'sent', 'arrived', 'assigned']));
    expect(wardTypes).not.toContain('submitted');
    expect((ward.log as View[]).every((e) => e.orgId === 'ubnd-hanoi' || e.orgId === 'phuong-ba-dinh')).toBe(
      true,
    );

    // Independently of the API: the chain as stored in DynamoDB.
    const dynamo = new DynamoDBClient({
      endpoint: stack().services.dynamodb,
      region: stack().environment.AWS_REGION,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      const stored: unknown[] = [];
      let ExclusiveStartKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
      do {
        const page = await dynamo.send(
          new QueryCommand({
            TableName: stack().environment.DOCFLOW_LOG_TABLE,
            KeyConditionExpression: 'documentId = :id',
            ExpressionAttributeValues: { ':id': { S: id } },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) stored.push(JSON.parse(item.event?.S ?? 'null'));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      const result = verifyChain(stored);
      expect(result).toMatchObject({ ok: true, length: view.chain.length });
    } finally {
      dynamo.destroy();
    }

    // A recipient sees its own record, not the other recipients' statuses.
    const asWard = await get('soc-son-clerk', `/api/documents/${id}`);
    expect(asWard.deliveries).toBeUndefined();
    expect(asWard.record).toMatchObject({ orgId: 'xa-soc-son', state: 'ARRIVED' });
  });
});
