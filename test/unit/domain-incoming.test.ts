import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import { deliveryOf, deliveryStatusOf, EXCHANGE_STATUS_CODES } from '../../lambdas/core/domain/delivery';
import {
  arriveIncoming,
  decideIncoming,
  INCOMING_RULES,
  type IncomingCommand,
  type IncomingRecord,
  IncomingRecordSchema,
  type IncomingState,
  IncomingStateSchema,
} from '../../lambdas/core/domain/incoming';
import { emptySeries, type NumberingSeries } from '../../lambdas/core/domain/numbering';
import { decideOutgoing } from '../../lambdas/core/domain/outgoing';
import { DomainError } from '../../lambdas/core/errors';
import { renderError } from '../../lambdas/core/i18n/messages';
import {
  ctx,
  issueCommand,
  later,
  NOW,
  people,
  runOutgoing,
  sentDocument,
  toSigned,
} from './domain-fixtures';

const WARD = 'phuong-ba-dinh';
const sent = sentDocument().doc;

type Step = [IncomingCommand, Actor];

const valid: Record<IncomingCommand['type'], Step> = {
  return: [{ type: 'return', reason: 'Gửi nhầm nơi nhận' }, people.wardClerk],
  register: [{ type: 'register', signatureCheck: { valid: true } }, people.wardClerk],
  present: [{ type: 'present', toPersonId: people.wardChairman.id }, people.wardClerk],
  assign: [
    {
      type: 'assign',
      lead: { kind: 'unit', unitCode: 'VHXH' },
      supporting: [{ kind: 'unit', unitCode: 'KT' }],
      forInformation: [{ kind: 'person', personId: people.wardVice.id }],
      deadline: '2026-01-15',
      note: 'Giao phòng VHXH chủ trì, phòng KT phối hợp; báo cáo trước 15/01.',
    },
    people.wardChairman,
  ],
  reassign: [
    {
      type: 'reassign',
      handler: { kind: 'person', personId: people.wardSpecialist.id },
      deadline: '2026-01-12',
    },
    people.wardChairman,
  ],
  start: [{ type: 'start' }, people.wardSpecialist],
  resolve: [{ type: 'resolve', replyDocumentId: 'doc-reply-1', note: 'Đã báo cáo' }, people.wardSpecialist],
  forward: [{ type: 'forward', to: ['so-y-te'], note: 'Chuyển Sở Y tế theo thẩm quyền' }, people.wardClerk],
  recall: [{ type: 'recall', reason: 'Văn bản bị thu hồi' }, people.chairman],
};

const pathTo: Record<IncomingState, Step[]> = {
  ARRIVED: [],
  RETURNED: [valid.return],
  REGISTERED: [valid.register],
  PRESENTED: [valid.register, valid.present],
  ASSIGNED: [valid.register, valid.present, valid.assign],
  IN_PROGRESS: [valid.register, valid.present, valid.assign, valid.start],
  RESOLVED: [valid.register, valid.present, valid.assign, valid.start, valid.resolve],
  FORWARDED: [valid.register, valid.forward],
  RECALLED: [valid.recall],
};

function arrived(orgId = WARD): IncomingRecord {
  return arriveIncoming(sent, orgId, people.cityClerk, NOW, ctx).state;
}

function run(steps: readonly Step[], start = arrived(), arrivalSeries?: NumberingSeries) {
  let record = start;
  let series = arrivalSeries;
  const types: string[] = [];
  for (const [command, who] of steps) {
    const d = decideIncoming(record, command, who, later(5), { ...ctx, arrivalSeries: series });
    record = d.state;
    if (d.series) series = d.series;
    types.push(...d.events.map((e) => e.type));
    for (const e of d.events) expect(e.orgId).toBe(record.orgId);
  }
  return { record, series, types };
}

function recordIn(state: IncomingState): IncomingRecord {
  const { record } = run(pathTo[state]);
  expect(record.state).toBe(state);
  return record;
}

function error(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('arrival', () => {
  it('creates an ARRIVED record carrying what the register needs', () => {
    const d = arriveIncoming(sent, WARD, people.cityClerk, NOW, ctx);
    expect(IncomingRecordSchema.parse(d.state)).toEqual(d.state);
    expect(d.state).toMatchObject({
      documentId: sent.id,
      orgId: WARD,
      senderOrgId: 'ubnd-hanoi',
      purpose: 'action',
      state: 'ARRIVED',
      symbol: '01/QĐ-UBND',
      issuedOn: '2026-01-05',
      documentSha256: sent.documentSha256,
      version: 1,
    });
    expect(d.events).toHaveLength(1);
    expect(d.events[0]).toMatchObject({
      type: 'arrived',
      orgId: WARD,
      actor: { orgId: 'ubnd-hanoi', role: 'clerk' },
    });
    expect(arriveIncoming(sent, 'xa-soc-son', people.cityClerk, NOW, ctx).state.purpose).toBe('information');
  });

  it('refuses an organisation the document was not sent to (422), twice (409), or before sending (409)', () => {
    expect(error(() => arriveIncoming(sent, 'so-y-te', people.cityClerk, NOW, ctx))).toMatchObject({
      code: 'incoming_not_addressed',
      status: 422,
    });
    expect(
      error(() => arriveIncoming(sent, WARD, people.cityClerk, NOW, ctx, { existing: arrived() })),
    ).toMatchObject({ code: 'incoming_exists', status: 409 });
    const issued = runOutgoing([...toSigned(), [issueCommand(), people.cityClerk]]).doc;
    const e = error(() => arriveIncoming(issued, WARD, people.cityClerk, NOW, ctx));
    expect(e).toMatchObject({ code: 'incoming_source_not_sent', status: 409, params: { state: 'ISSUED' } });
    const recalled = decideOutgoing(sent, { type: 'recall', reason: 'Sai' }, people.chairman, NOW, ctx).state;
    expect(error(() => arriveIncoming(recalled, WARD, people.cityClerk, NOW, ctx)).status).toBe(409);
  });

  it('is delivered by the sender (or the forwarder) only', () => {
    expect(error(() => arriveIncoming(sent, WARD, people.wardClerk, NOW, ctx))).toMatchObject({
      code: 'forbidden_other_organisation',
      status: 403,
    });
    expect(error(() => arriveIncoming(sent, WARD, people.citySpecialist, NOW, ctx))).toMatchObject({
      code: 'forbidden_role',
    });
  });
});

describe('allowed transitions', () => {
  it('return → RETURNED with the reason for the sender', () => {
    const { record, types } = run([valid.return]);
    expect(record).toMatchObject({ state: 'RETURNED', returnReason: 'Gửi nhầm nơi nhận' });
    expect(types).toEqual(['returned-to-sender']);
  });

  it('register gives the next arrival number of the recipient’s year', () => {
    const first = run([valid.register]);
    expect(first.record).toMatchObject({ state: 'REGISTERED', arrivalNumber: 1, arrivalYear: 2026 });
    expect(first.series).toEqual({ ...emptySeries(WARD, 2026, 'arrival'), lastNumber: 1 });
    const stored = { ...emptySeries(WARD, 2026, 'arrival'), lastNumber: 41 };
    expect(run([valid.register], arrived(), stored).record.arrivalNumber).toBe(42);
    const newYear = new Date('2026-12-31T17:00:00Z');
    const d = decideIncoming(arrived(), valid.register[0], people.wardClerk, newYear, {
      ...ctx,
      arrivalSeries: stored,
    });
    expect(d.state).toMatchObject({ arrivalNumber: 1, arrivalYear: 2027 });
    expect(d.series?.key).toBe(`${WARD}#2027#arrival`);
  });

  it('present → PRESENTED; assign → ASSIGNED with the direction note', () => {
    const { record, types } = run(pathTo.ASSIGNED);
    expect(record.state).toBe('ASSIGNED');
    expect(record.presentedTo).toBe(people.wardChairman.id);
    expect(record.assignment).toMatchObject({
      lead: { kind: 'unit', unitCode: 'VHXH' },
      deadline: '2026-01-15',
    });
    expect(record.assignedBy).toBe(people.wardChairman.id);
    expect(types).toEqual(['registered', 'presented', 'assigned']);
  });

  it('reassign within the organisation keeps the state and changes the handler', () => {
    for (const from of ['ASSIGNED', 'IN_PROGRESS'] as const) {
      const { record } = run([...pathTo[from], valid.reassign]);
      expect(record).toMatchObject({
        state: from,
        handler: { kind: 'person', personId: people.wardSpecialist.id },
        handlerDeadline: '2026-01-12',
      });
    }
  });

  it('the head of the lead unit may reassign to a specialist, who then handles it', () => {
    const unitHeadReassign: Step = [valid.reassign[0], people.wardUnitHead];
    const { record } = run([...pathTo.ASSIGNED, unitHeadReassign, valid.start, valid.resolve]);
    expect(record).toMatchObject({
      state: 'RESOLVED',
      replyDocumentId: 'doc-reply-1',
      resolutionNote: 'Đã báo cáo',
    });
  });

  it('start → IN_PROGRESS by a member of the lead unit; resolve → RESOLVED', () => {
    const { record, types } = run(pathTo.RESOLVED);
    expect(record.state).toBe('RESOLVED');
    expect(types.slice(-2)).toEqual(['started', 'resolved']);
    const byLeader = run([...pathTo.IN_PROGRESS, [{ type: 'resolve' }, people.wardChairman]]).record;
    expect(byLeader.state).toBe('RESOLVED');
  });

  it('forward → FORWARDED; the forwardee then receives the document as forwarded', () => {
    for (const from of ['REGISTERED', 'PRESENTED', 'ASSIGNED', 'IN_PROGRESS'] as const) {
      const { record } = run([...pathTo[from], valid.forward]);
      expect(record).toMatchObject({ state: 'FORWARDED', forwardedTo: ['so-y-te'] });
    }
    const forwarder = recordIn('FORWARDED');
    const d = arriveIncoming(sent, 'so-y-te', people.wardClerk, NOW, ctx, { forwardedFrom: forwarder });
    expect(d.state).toMatchObject({
      orgId: 'so-y-te',
      forwardedBy: WARD,
      senderOrgId: 'ubnd-hanoi',
      purpose: 'action',
    });
    expect(
      error(() =>
        arriveIncoming(sent, 'so-tu-phap', people.wardClerk, NOW, ctx, { forwardedFrom: forwarder }),
      ),
    ).toMatchObject({ code: 'incoming_not_addressed' });
  });

  it('recall by the sender from every state but RETURNED and RECALLED', () => {
    for (const from of INCOMING_RULES.recall.from) {
      const { record } = run([...pathTo[from], valid.recall]);
      expect(record).toMatchObject({ state: 'RECALLED', recallReason: 'Văn bản bị thu hồi' });
    }
    const clerk = run([[valid.recall[0], people.cityClerk]]).record;
    expect(clerk.state).toBe('RECALLED');
  });
});

describe('forbidden transitions: wrong state → 409', () => {
  for (const [type, [command, who]] of Object.entries(valid) as [IncomingCommand['type'], Step][]) {
    const rule = INCOMING_RULES[type];
    for (const state of IncomingStateSchema.options.filter((s) => !rule.from.includes(s))) {
      it(`${type} in ${state}`, () => {
        const e = error(() => decideIncoming(recordIn(state), command, who, later(10), ctx));
        expect(e).toMatchObject({ status: 409, code: `incoming_cannot_${type}`, params: { state } });
      });
    }
  }

  it('names the state in both languages', () => {
    const e = error(() =>
      decideIncoming(recordIn('ARRIVED'), valid.assign[0], people.wardChairman, NOW, ctx),
    );
    expect(renderError(e, 'vi')).toBe(
      'Không thể phân công xử lý khi văn bản đến đang ở trạng thái Mới đến; chỉ phân công văn bản đã trình lãnh đạo.',
    );
    expect(renderError(e, 'en')).toContain('while it is newly arrived and not registered');
  });
});

describe('forbidden transitions: wrong person → 403', () => {
  const stateFor: Record<IncomingCommand['type'], IncomingState> = {
    return: 'ARRIVED',
    register: 'ARRIVED',
    present: 'REGISTERED',
    assign: 'PRESENTED',
    reassign: 'ASSIGNED',
    start: 'ASSIGNED',
    resolve: 'IN_PROGRESS',
    forward: 'REGISTERED',
    recall: 'REGISTERED',
  };
  const wrongRole: Record<IncomingCommand['type'], Actor[]> = {
    return: [people.wardChairman, people.wardSpecialist],
    register: [people.wardChairman, people.wardSpecialist],
    present: [people.wardSpecialist],
    assign: [people.wardClerk, people.wardSpecialist],
    reassign: [people.wardClerk, people.wardSpecialist],
    start: [people.wardClerk],
    resolve: [people.wardClerk],
    forward: [people.wardSpecialist],
    recall: [people.citySpecialist],
  };
  for (const [type, [command]] of Object.entries(valid) as [IncomingCommand['type'], Step][]) {
    it(`${type}: other roles, auditors and admins`, () => {
      const record = recordIn(stateFor[type]);
      for (const who of [...wrongRole[type], people.auditor, people.admin])
        expect(error(() => decideIncoming(record, command, who, NOW, ctx))).toMatchObject({
          code: 'forbidden_role',
          status: 403,
        });
    });
  }

  it('people of another organisation', () => {
    const cases: [IncomingCommand['type'], Actor][] = [
      ['register', people.deptClerk],
      ['register', people.cityClerk],
      ['assign', people.chairman],
      ['start', people.deptSpecialist],
    ];
    for (const [type, who] of cases)
      expect(
        error(() => decideIncoming(recordIn(stateFor[type]), valid[type][0], who, NOW, ctx)),
      ).toMatchObject({
        code: 'forbidden_other_organisation',
        status: 403,
      });
  });

  it('recall by anyone but the sender', () => {
    const e = error(() =>
      decideIncoming(recordIn('REGISTERED'), valid.recall[0], people.wardChairman, NOW, ctx),
    );
    expect(e).toMatchObject({ code: 'forbidden_not_sender', status: 403 });
    expect(renderError(e, 'en')).toBe(
      'You may not recall a delivered document: only the sender, Ủy ban nhân dân thành phố Hà Nội, may.',
    );
  });

  it('start or resolve by someone who is not handling it', () => {
    expect(
      error(() => decideIncoming(recordIn('ASSIGNED'), valid.start[0], people.wardOtherSpecialist, NOW, ctx)),
    ).toMatchObject({ code: 'forbidden_not_handler', status: 403 });
    expect(
      error(() => decideIncoming(recordIn('ASSIGNED'), valid.start[0], people.wardChairman, NOW, ctx)),
    ).toMatchObject({ code: 'forbidden_not_handler' });
    expect(
      error(() =>
        decideIncoming(recordIn('IN_PROGRESS'), valid.resolve[0], people.wardOtherSpecialist, NOW, ctx),
      ),
    ).toMatchObject({ code: 'forbidden_not_handler' });
    const reassigned = run([...pathTo.ASSIGNED, valid.reassign]).record;
    const colleague: Actor = { ...people.wardSpecialist, id: 'u-ward-spec3' };
    expect(error(() => decideIncoming(reassigned, valid.start[0], colleague, NOW, ctx))).toMatchObject({
      code: 'forbidden_not_handler',
    });
  });

  it('reassign by the head of another unit', () => {
    const toKt: Step = [
      {
        ...(valid.assign[0] as Extract<IncomingCommand, { type: 'assign' }>),
        lead: { kind: 'unit', unitCode: 'KT' },
      },
      people.wardChairman,
    ];
    const record = run([valid.register, valid.present, toKt]).record;
    expect(
      error(() => decideIncoming(record, valid.reassign[0], people.wardUnitHead, NOW, ctx)),
    ).toMatchObject({
      code: 'forbidden_other_unit',
      status: 403,
      params: { unitCode: 'KT' },
    });
  });
});

describe('invalid input → 422', () => {
  it('refuses to register a document whose signatures failed the check', () => {
    const bad: IncomingCommand = {
      type: 'register',
      signatureCheck: {
        valid: false,
        detail: { vi: 'chứng thư đã bị thu hồi', en: 'the certificate was revoked' },
      },
    };
    expect(error(() => decideIncoming(arrived(), bad, people.wardClerk, NOW, ctx))).toMatchObject({
      code: 'incoming_signatures_invalid',
      status: 422,
    });
  });

  it('refuses a deadline in the past', () => {
    const late = {
      ...(valid.assign[0] as Extract<IncomingCommand, { type: 'assign' }>),
      deadline: '2026-01-04',
    };
    expect(
      error(() => decideIncoming(recordIn('PRESENTED'), late, people.wardChairman, NOW, ctx)),
    ).toMatchObject({
      code: 'validation_failed',
    });
  });

  it('refuses to forward back to the sender or to itself, or to an unknown organisation', () => {
    const record = recordIn('REGISTERED');
    const to = (ids: string[]): IncomingCommand => ({ type: 'forward', to: ids });
    expect(error(() => decideIncoming(record, to(['ubnd-hanoi']), people.wardClerk, NOW, ctx))).toMatchObject(
      {
        code: 'forward_target_invalid',
        status: 422,
      },
    );
    expect(error(() => decideIncoming(record, to([WARD]), people.wardClerk, NOW, ctx))).toMatchObject({
      code: 'recipient_is_sender',
    });
    expect(
      error(() => decideIncoming(record, to(['so-khong-co']), people.wardClerk, NOW, ctx)),
    ).toMatchObject({
      code: 'recipient_unknown',
    });
  });
});

describe('sender-visible delivery status', () => {
  it('maps every state to the PL VI status and national exchange code', () => {
    const expected: Record<IncomingState, [string, string]> = {
      ARRIVED: ['arrived', '01'],
      RETURNED: ['refused', '02'],
      REGISTERED: ['accepted', '03'],
      PRESENTED: ['accepted', '03'],
      ASSIGNED: ['assigned', '04'],
      IN_PROGRESS: ['in-progress', '05'],
      RESOLVED: ['done', '06'],
      FORWARDED: ['done', '06'],
      RECALLED: ['recalled', '13'],
    };
    for (const state of IncomingStateSchema.options) {
      const delivery = deliveryOf(recordIn(state));
      expect([delivery.status, delivery.exchangeCode]).toEqual(expected[state]);
      expect(EXCHANGE_STATUS_CODES[deliveryStatusOf(state)]).toBe(expected[state][1]);
    }
  });
});
