import { describe, expect, it } from 'vitest';
import { vietnamCalendar } from '../../lambdas/core/calendar/working-days';
import type { IncomingRecord } from '../../lambdas/core/domain/incoming';
import { byArrival, followUpRow, isRegistered } from '../../lambdas/core/registers/follow-up';
import { filterRegister, registerTable, registerTableCsv } from '../../lambdas/core/registers/table';
import { directory } from './domain-fixtures';

/*
 * The follow-up register from incoming records as the events leave them: the handler now (a re-assignment
 * wins over the leader's lead), the deadline that binds them, on time or late, overdue in working days, the
 * reply's number from the outgoing register; and the form's eleven columns in both languages.
 */

const base: IncomingRecord = {
  documentId: 'd-1',
  orgId: 'so-noi-vu',
  senderOrgId: 'ubnd-hanoi',
  purpose: 'action',
  state: 'REGISTERED',
  typeId: 'cong-van',
  subject: 'Về việc rà soát biên chế năm 2026',
  symbol: '12/UBND-NC',
  issuedOn: '2026-03-02',
  urgency: 'normal',
  documentSha256: 'a'.repeat(64),
  // 18:00 UTC: already the next day in Hà Nội.
  arrivedAt: '2026-03-02T18:00:00.000Z',
  arrivalNumber: 7,
  arrivalYear: 2026,
  updatedAt: '2026-03-02T18:00:00.000Z',
  version: 2,
};

const context = {
  directory,
  personName: (id: string) => ({ 'u-1': 'Nguyễn Văn An', 'u-2': 'Lê Thị Bình' })[id] ?? id,
  replySymbol: (id: string) => (id === 'reply-1' ? '45/SNV-TCBC' : undefined),
  today: '2026-03-20',
  calendar: vietnamCalendar,
};

const assignment = {
  lead: { kind: 'person' as const, personId: 'u-1' },
  supporting: [],
  forInformation: [],
  deadline: '2026-03-10',
  note: 'Giao phòng TCBC chủ trì',
};

describe('follow-up register rows', () => {
  it('keeps registered records only, in the order of the book', () => {
    expect(isRegistered(base)).toBe(true);
    expect(isRegistered({ ...base, state: 'ARRIVED', arrivalNumber: undefined })).toBe(false);
    expect(isRegistered({ ...base, state: 'RETURNED' })).toBe(false);
    const rows = [
      followUpRow({ ...base, documentId: 'b', arrivalNumber: 9 }, context),
      followUpRow({ ...base, documentId: 'a', arrivalNumber: 2 }, context),
      followUpRow({ ...base, documentId: 'c', arrivalNumber: 1, arrivalYear: 2027 }, context),
    ].sort(byArrival);
    expect(rows.map((r) => r.documentId)).toEqual(['a', 'b', 'c']);
  });

  it('an assigned record past its deadline is overdue in working days, with the leader’s lead as handler', () => {
    const row = followUpRow({ ...base, state: 'IN_PROGRESS', assignment, assignedBy: 'u-2' }, context);
    expect(row.handler).toEqual({ kind: 'person', id: 'u-1', name: 'Nguyễn Văn An' });
    expect(row.deadline).toBe('2026-03-10');
    // 10 March (Tue) to 20 March (Fri): eight working days.
    expect(row.overdueDays).toBe(8);
    expect(row.onTime).toBeUndefined();
    expect(row.issuer).toBe(directory.get('ubnd-hanoi').name);
  });

  it('a re-assignment to a unit with its inner deadline wins; resolved late, with the reply’s number', () => {
    const row = followUpRow(
      {
        ...base,
        state: 'RESOLVED',
        assignment,
        handler: { kind: 'unit', unitCode: 'TCBC' },
        handlerDeadline: '2026-03-06',
        resolvedAt: '2026-03-08T03:00:00.000Z',
        replyDocumentId: 'reply-1',
      },
      context,
    );
    expect(row.handler).toEqual({ kind: 'unit', id: 'TCBC', name: 'TCBC' });
    expect(row).toMatchObject({ deadline: '2026-03-06', resolvedOn: '2026-03-08', onTime: false });
    expect(row.overdueDays).toBe(0);
    expect(row.replySymbol).toBe('45/SNV-TCBC');
  });

  it('lays the rows out in the form’s columns, in Vietnamese and in English', () => {
    const rows = [
      followUpRow(
        {
          ...base,
          state: 'RESOLVED',
          urgency: 'urgent',
          assignment,
          resolvedAt: '2026-03-09T03:00:00.000Z',
          replyDocumentId: 'reply-1',
        },
        context,
      ),
      followUpRow({ ...base, documentId: 'd-2', arrivalNumber: 8, state: 'ASSIGNED', assignment }, context),
    ].map((r) => ({ ...r }));
    const vi = registerTable('follow-up', rows, { year: 2026 }, 'vi');
    expect(vi.title).toBe('Sổ theo dõi giải quyết văn bản đến');
    expect(vi.columns.map((c) => c.header)).toEqual([
      'Số đến',
      'Ngày đến',
      'Tác giả',
      'Số, ký hiệu văn bản',
      'Ngày tháng văn bản',
      'Trích yếu nội dung',
      'Đơn vị hoặc người nhận',
      'Thời hạn giải quyết',
      'Tiến độ giải quyết',
      'Số, ký hiệu văn bản trả lời',
      'Ghi chú',
    ]);
    expect(vi.rows[0]).toEqual([
      '7',
      '03/03/2026',
      directory.get('ubnd-hanoi').name,
      '12/UBND-NC',
      '02/03/2026',
      'Công văn: Về việc rà soát biên chế năm 2026',
      'Nguyễn Văn An',
      '10/03/2026',
      'Đã giải quyết ngày 09/03/2026',
      '45/SNV-TCBC',
      'Khẩn',
    ]);
    expect(vi.rows[1]?.[8]).toBe('Đã giao, chưa bắt đầu');
    expect(vi.rows[1]?.[10]).toBe('Quá hạn 8 ngày làm việc');
    const en = registerTable('follow-up', rows, { year: 2026 }, 'en');
    expect(en.rows[0]?.[8]).toBe('Resolved on 09/03/2026');
    expect(en.rows[1]?.[10]).toBe('8 working day(s) overdue');
    const csv = registerTableCsv(vi);
    expect(csv.startsWith('\ufeffSố đến,Ngày đến,')).toBe(true);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
  });
});

describe('register filters', () => {
  const outgoing = [
    {
      documentId: 'o-1',
      number: 1,
      symbol: '01/QĐ-UBND',
      issuedOn: '2026-02-01',
      docType: 'Quyết định',
      subject: 'Về việc kiện toàn Ban chỉ đạo chuyển đổi số',
      recipients: ['Sở Nội vụ', 'Sở Tài chính'],
      recipientOrgIds: ['so-noi-vu', 'so-tai-chinh'],
      state: 'SENT',
    },
    // Registered before the ids were kept: matched by the exact name.
    {
      documentId: 'o-2',
      number: 2,
      symbol: '02/UBND-KT',
      issuedOn: '2026-02-02',
      docType: 'Công văn',
      subject: 'Về việc báo cáo tình hình kinh tế',
      recipients: ['Sở Nội vụ mới'],
      state: 'RECALLED',
    },
  ];
  const ids = (rows: readonly { documentId?: unknown }[]) => rows.map((r) => r.documentId);

  it('an organisation exactly, by id or by its registered name, never by a part of it', () => {
    const noiVu = { id: 'so-noi-vu', name: 'Sở Nội vụ' };
    expect(ids(filterRegister('outgoing', outgoing, { org: noiVu }))).toEqual(['o-1']);
    expect(ids(filterRegister('outgoing', outgoing, { org: { id: 'x', name: 'Sở Nội vụ mới' } }))).toEqual([
      'o-2',
    ]);
    const incoming = [
      { documentId: 'i-1', senderOrgId: 'ubnd-hanoi', issuer: 'Ủy ban nhân dân thành phố Hà Nội' },
      { documentId: 'i-2', issuer: 'Ủy ban nhân dân thành phố Hà Nội' },
      { documentId: 'i-3', senderOrgId: 'so-tai-chinh', issuer: 'Sở Tài chính' },
    ];
    const city = { id: 'ubnd-hanoi', name: 'Ủy ban nhân dân thành phố Hà Nội' };
    expect(ids(filterRegister('incoming', incoming, { org: city }))).toEqual(['i-1', 'i-2']);
  });

  it('state, overdue and words with or without diacritics (number, symbol, type, summary)', () => {
    expect(ids(filterRegister('outgoing', outgoing, { status: 'RECALLED' }))).toEqual(['o-2']);
    expect(ids(filterRegister('outgoing', outgoing, { q: 'chuyen doi so' }))).toEqual(['o-1']);
    expect(ids(filterRegister('outgoing', outgoing, { q: 'UBND-KT' }))).toEqual(['o-2']);
    expect(ids(filterRegister('outgoing', outgoing, { q: 'cong van bao cao' }))).toEqual(['o-2']);
    expect(ids(filterRegister('outgoing', outgoing, { q: 'quyết định báo cáo' }))).toEqual([]);
    const followUp = [
      { documentId: 'f-1', arrivedOn: '2026-03-01T01:00:00Z', overdueDays: 3 },
      { documentId: 'f-2', arrivedOn: '2026-03-01T01:00:00Z', overdueDays: 0 },
      { documentId: 'f-3', arrivedOn: '2026-03-31T18:00:00Z' },
    ];
    expect(ids(filterRegister('follow-up', followUp, { overdue: true }))).toEqual(['f-1']);
    expect(ids(filterRegister('follow-up', followUp, { overdue: false }))).toEqual(['f-2', 'f-3']);
    // 31 March 18:00 UTC is 1 April in Hà Nội.
    expect(ids(filterRegister('follow-up', followUp, { to: '2026-03-31' }))).toEqual(['f-1', 'f-2']);
  });
});
