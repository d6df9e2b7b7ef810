import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { operatorS3, stack } from '../support/api';
import { get, issueAs, post, sent, signed, type View } from '../support/flow';

/**
 * The other roads a delivered document takes: recalled by its sender, forwarded to another organisation,
 * re-assigned inside one, and returned on arrival because a signature no longer verifies.
 */

const statuses = (view: View) =>
  Object.fromEntries((view.deliveries as View[]).map((d) => [d.orgId, d.status]));

describe('incoming documents beyond the main road', () => {
  it('a recall reaches every recipient that still holds the document', async () => {
    const id = await sent(['phuong-ba-dinh', 'phuong-hoan-kiem', 'xa-soc-son']);
    await post('ba-dinh-clerk', `/api/documents/${id}/register`);
    await post('hoan-kiem-clerk', `/api/documents/${id}/return`, { reason: 'Không thuộc thẩm quyền xử lý.' });

    const recalled = await post('city-chairman', `/api/documents/${id}/recall`, {
      reason: 'Văn bản có sai sót, thu hồi để thay thế.',
    });
    const notes = Object.fromEntries(
      (recalled.log as View[])
        .filter((e) => ['returned-to-sender', 'recalled'].includes(e.type))
        .map((e) => [e.type, e.note]),
    );
    expect(notes).toEqual({
      'returned-to-sender': 'Không thuộc thẩm quyền xử lý.',
      recalled: 'Văn bản có sai sót, thu hồi để thay thế.',
    });
    expect(recalled.state).toBe('RECALLED');
    expect(statuses(recalled)).toEqual({
      'phuong-ba-dinh': 'recalled',
      'phuong-hoan-kiem': 'refused',
      'xa-soc-son': 'recalled',
    });
    expect((recalled.deliveries as View[]).find((d) => d.orgId === 'xa-soc-son')?.exchangeCode).toBe('13');
    const asWard = await get('ba-dinh-clerk', `/api/documents/${id}`);
    expect(asWard.record).toMatchObject({
      state: 'RECALLED',
      recallReason: 'Văn bản có sai sót, thu hồi để thay thế.',
    });
    expect(recalled.chain.valid).toBe(true);

    // A clerk of a recipient may not recall, and a second recall by the sender changes nothing.
    const refused = await post('ba-dinh-clerk', `/api/documents/${id}/recall`, { reason: 'Thử.' }).catch(
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/40[34]/);
  });

  it('a forward gives another organisation the document; the sender sees both', async () => {
    const id = await sent(['so-noi-vu']);
    await post('snv-clerk', `/api/documents/${id}/register`);
    const forwarded = await post('snv-clerk', `/api/documents/${id}/forward`, {
      to: 'so-tai-chinh',
      note: 'Chuyển Sở Tài chính xử lý theo thẩm quyền.',
    });
    expect(forwarded.record).toMatchObject({ state: 'FORWARDED', forwardedTo: ['so-tai-chinh'] });

    const inbox = await get('stc-clerk', '/api/inbox?folder=incoming');
    expect(inbox.items.map((i: View) => i.id)).toContain(id);
    const asStc = await get('stc-clerk', `/api/documents/${id}`);
    expect(asStc.record).toMatchObject({
      state: 'ARRIVED',
      forwardedBy: 'so-noi-vu',
      senderOrgId: 'ubnd-hanoi',
    });

    const asCity = await get('city-clerk', `/api/documents/${id}`);
    expect(statuses(asCity)).toEqual({ 'so-noi-vu': 'done', 'so-tai-chinh': 'arrived' });
  });

  it('a re-assignment moves the document between assigned inboxes', async () => {
    const id = await sent(['phuong-ba-dinh']);
    await post('ba-dinh-clerk', `/api/documents/${id}/register`);
    const deadline = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    await post('ba-dinh-chairman', `/api/documents/${id}/assign`, {
      lead: 'ba-dinh-specialist',
      deadline,
      note: 'Giao chuyên viên xử lý.',
    });
    const before = await get('ba-dinh-specialist', '/api/inbox?folder=assigned');
    expect(before.items.map((i: View) => i.id)).toContain(id);

    // A clerk can neither start nor resolve it: a handler must be someone who can (use-cases/references.ts).
    const refused = await post('ba-dinh-chairman', `/api/documents/${id}/reassign`, {
      handler: 'ba-dinh-clerk',
      note: 'Chuyển văn thư tổng hợp.',
    }).catch((e: Error) => e.message);
    expect(refused).toContain('422');
    expect(refused).toContain('handler: ba-dinh-clerk');

    // The chairman takes it himself (the vice-chairman may have been moved to another ward by the
    // position tests, which share this stack).
    const moved = await post('ba-dinh-chairman', `/api/documents/${id}/reassign`, {
      handler: 'ba-dinh-chairman',
      note: 'Chủ tịch trực tiếp xử lý.',
    });
    expect(moved.record.handler).toEqual({ kind: 'person', personId: 'ba-dinh-chairman' });
    const after = await get('ba-dinh-specialist', '/api/inbox?folder=assigned');
    expect(after.items.map((i: View) => i.id)).not.toContain(id);
    const theirs = await get('ba-dinh-chairman', '/api/inbox?folder=assigned');
    expect(theirs.items.map((i: View) => i.id)).toContain(id);
  });

  it('a document whose signature no longer verifies is returned on arrival, with the reason', async () => {
    const id = await signed();
    const issued = await issueAs('city-clerk', id);
    // Someone with write access to storage alters the issued file after it was sealed.
    const s3 = operatorS3();
    try {
      const Bucket = stack().environment.DOCFLOW_ARCHIVE_BUCKET;
      const Key = `documents/${id}/${issued.document.documentSha256}.pdf`;
      const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
      const bytes = Buffer.from(await (object.Body?.transformToByteArray() ?? new Uint8Array()));
      bytes[Math.floor(bytes.length / 3)] = (bytes[Math.floor(bytes.length / 3)] ?? 0) ^ 0x01;
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: bytes }));
    } finally {
      s3.destroy();
    }

    const view = await post('city-clerk', `/api/documents/${id}/send`, {
      recipients: ['phuong-ba-dinh', 'xa-soc-son'],
    });
    expect(statuses(view)).toEqual({ 'phuong-ba-dinh': 'refused', 'xa-soc-son': 'refused' });
    const asWard = await get('ba-dinh-clerk', `/api/documents/${id}`);
    expect(asWard.record.state).toBe('RETURNED');
    expect(asWard.record.returnReason).toMatch(/^Chữ ký số không hợp lệ/);
    const returnedBy = (view.log as View[])
      .filter((e) => e.type === 'returned-to-sender')
      .map((e) => e.actor.userId);
    expect(returnedBy).toEqual(['docflow-system', 'docflow-system']);
    // The timeline says why: each return carries the verification's reason.
    const reasons = (view.log as View[]).filter((e) => e.type === 'returned-to-sender').map((e) => e.note);
    expect(reasons).toHaveLength(2);
    for (const reason of reasons) expect(reason).toMatch(/^Chữ ký số không hợp lệ/);
  });
});
