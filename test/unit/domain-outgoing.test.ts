import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import { emptySeries, vietnamCalendarDate } from '../../lambdas/core/domain/numbering';
import {
  decideOutgoing,
  OUTGOING_RULES,
  type OutgoingCommand,
  type OutgoingDocument,
  OutgoingDocumentSchema,
  type OutgoingState,
  OutgoingStateSchema,
  previewIssue,
} from '../../lambdas/core/domain/outgoing';
import { DomainError } from '../../lambdas/core/errors';
import { renderError } from '../../lambdas/core/i18n/messages';
import {
  createCommand,
  ctx,
  directory,
  issueCommand,
  later,
  NOW,
  people,
  runOutgoing,
  sha,
  toSigned,
} from './domain-fixtures';

type Step = [OutgoingCommand, Actor];

const reviseCommand: OutgoingCommand = {
  type: 'revise',
  typeId: 'quyet-dinh',
  subject: 'Về việc tổ chức Tết Nguyên đán Bính Ngọ 2026 (sửa)',
  urgency: 'urgent',
  recipients: [{ to: 'all-wards', purpose: 'action' }],
  documentSha256: sha('draft v2'),
};

/** A valid command for every action, with an actor who may give it. */
const valid: Record<Exclude<OutgoingCommand['type'], 'create'>, Step> = {
  revise: [reviseCommand, people.citySpecialist],
  submit: [{ type: 'submit', note: 'Kính trình' }, people.citySpecialist],
  approve: [{ type: 'approve', signerId: people.viceChairman.id }, people.chairman],
  'return-for-revision': [{ type: 'return-for-revision', reason: 'Bổ sung căn cứ pháp lý' }, people.chairman],
  sign: [
    { type: 'sign', capacity: { kind: 'KT', onBehalfOfCollective: true }, documentSha256: sha('signed v1') },
    people.viceChairman,
  ],
  issue: [issueCommand(), people.cityClerk],
  seal: [{ type: 'seal', documentSha256: sha('co-sealed') }, people.cityClerk],
  send: [{ type: 'send' }, people.cityClerk],
  archive: [{ type: 'archive' }, people.cityClerk],
  'renew-archive': [
    {
      type: 'renew-archive',
      documentSha256: sha('archived v2'),
      archiveTimestamp: {
        time: '2026-03-01T00:00:00.000Z',
        holdsUntil: '2031-03-01T00:00:00.000Z',
        renewBy: '2030-09-01T00:00:00.000Z',
      },
    },
    people.cityClerk,
  ],
  recall: [{ type: 'recall', reason: 'Sai thẩm quyền ban hành' }, people.chairman],
  // Recorded by the clerk who sends the replacing (correcting) document.
  replace: [{ type: 'replace', replacementDocumentId: 'doc-2', symbol: '02/QĐ-UBND' }, people.cityClerk],
  correct: [{ type: 'correct', correctionDocumentId: 'doc-3', symbol: '03/QĐ-UBND' }, people.cityClerk],
  'add-attachment': [
    { type: 'add-attachment', attachment: attachmentFile('Phụ lục I') },
    people.citySpecialist,
  ],
  'remove-attachment': [{ type: 'remove-attachment', attachmentId: 'a1' }, people.citySpecialist],
  place: [
    {
      type: 'place',
      placement: {
        signature: { page: 0, x: 320, y: 140, width: 230, height: 140 },
        seal: { page: 0, x: 325, y: 159, width: 102, height: 102 },
        number: { page: 0, x: 40, y: 700, width: 230, height: 16 },
        date: { page: 0, x: 300, y: 700, width: 260, height: 16 },
      },
    },
    people.cityClerk,
  ],
};

function attachmentFile(title: string, format: 'pdf' | 'file' = 'pdf') {
  return {
    title,
    fileName: format === 'pdf' ? 'phu-luc.pdf' : 'bang-so-lieu.xlsx',
    mediaType: format === 'pdf' ? 'application/pdf' : 'application/octet-stream',
    format,
    sha256: sha(`${title} ${format}`),
    size: 1234,
  } as const;
}

const pathTo: Record<OutgoingState, Step[]> = {
  DRAFT: [[createCommand(), people.citySpecialist]],
  UNDER_REVIEW: [[createCommand(), people.citySpecialist], valid.submit],
  SUBMITTED_TO_SIGNER: [[createCommand(), people.citySpecialist], valid.submit, valid.approve],
  SIGNED: toSigned(),
  ISSUED: [...toSigned(), valid.issue],
  SENT: [...toSigned(), valid.issue, valid.send],
  ARCHIVED: [...toSigned(), valid.issue, valid.send, valid.archive],
  RECALLED: [...toSigned(), valid.issue, valid.recall],
  REPLACED: [...toSigned(), valid.issue, valid.replace],
};

function docIn(state: OutgoingState): {
  doc: OutgoingDocument;
  series?: ReturnType<typeof runOutgoing>['series'];
} {
  const run = runOutgoing(pathTo[state]);
  expect(run.doc.state).toBe(state);
  return run;
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

describe('allowed transitions', () => {
  it('create: a specialist drafts; recipients are resolved; the draft is theirs', () => {
    const { doc, events } = runOutgoing([[createCommand(), people.citySpecialist]]);
    expect(OutgoingDocumentSchema.parse(doc)).toEqual(doc);
    expect(doc).toMatchObject({
      id: 'doc-1',
      orgId: 'ubnd-hanoi',
      state: 'DRAFT',
      drafterId: people.citySpecialist.id,
      documentSha256: sha('draft v1'),
      version: 1,
      recipients: [
        { orgId: 'phuong-ba-dinh', purpose: 'action' },
        { orgId: 'so-noi-vu', purpose: 'action' },
        { orgId: 'xa-soc-son', purpose: 'information' },
      ],
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'created',
      documentId: 'doc-1',
      orgId: 'ubnd-hanoi',
      at: NOW.toISOString(),
      actor: { userId: people.citySpecialist.id, orgId: 'ubnd-hanoi', role: 'specialist' },
      documentSha256: sha('draft v1'),
    });
  });

  it('revise: the drafter replaces content and file in DRAFT', () => {
    const { doc, events } = runOutgoing([...pathTo.DRAFT, valid.revise]);
    expect(doc).toMatchObject({
      state: 'DRAFT',
      urgency: 'urgent',
      documentSha256: sha('draft v2'),
      version: 2,
    });
    expect(doc.recipients).toHaveLength(126);
    expect(events[1]).toMatchObject({ type: 'revised', documentSha256: sha('draft v2') });
  });

  it('submit → UNDER_REVIEW; approve → SUBMITTED_TO_SIGNER with the approval and signer recorded', () => {
    const { doc, events } = runOutgoing(pathTo.SUBMITTED_TO_SIGNER);
    expect(doc.state).toBe('SUBMITTED_TO_SIGNER');
    expect(doc.designatedSignerId).toBe(people.viceChairman.id);
    expect(doc.approvals).toEqual([
      { by: people.chairman.id, name: people.chairman.name, title: 'Chủ tịch', at: NOW.toISOString() },
    ]);
    expect(events.map((e) => e.type)).toEqual(['created', 'submitted', 'approved']);
  });

  it('return-for-revision from UNDER_REVIEW and from SUBMITTED_TO_SIGNER goes back to DRAFT', () => {
    for (const from of ['UNDER_REVIEW', 'SUBMITTED_TO_SIGNER'] as const) {
      const { doc, events } = runOutgoing([...pathTo[from], valid['return-for-revision']]);
      expect(doc).toMatchObject({ state: 'DRAFT', returnReason: 'Bổ sung căn cứ pháp lý', approvals: [] });
      expect(doc.designatedSignerId).toBeUndefined();
      expect(events.at(-1)).toMatchObject({ type: 'returned-for-revision', payload: { from } });
    }
  });

  it('the designated signer may reject, even when signing for another organisation', () => {
    const chief: Actor = { ...people.officeChief };
    const { doc } = runOutgoing([
      ...pathTo.UNDER_REVIEW,
      [{ type: 'approve', signerId: chief.id }, people.chairman],
      [{ type: 'return-for-revision', reason: 'Chưa rõ thẩm quyền' }, chief],
    ]);
    expect(doc.state).toBe('DRAFT');
  });

  it('after a return the draft can be revised and go round again', () => {
    const { doc } = runOutgoing([
      ...pathTo.UNDER_REVIEW,
      valid['return-for-revision'],
      valid.revise,
      valid.submit,
      valid.approve,
      valid.sign,
    ]);
    expect(doc.state).toBe('SIGNED');
    expect(doc.approvals).toHaveLength(1);
  });

  it('sign: records the personal signature with capacity and lines, on the signed file', () => {
    const { doc, events } = runOutgoing(pathTo.SIGNED);
    expect(doc.state).toBe('SIGNED');
    expect(doc.documentSha256).toBe(sha('signed v1'));
    expect(doc.signatures).toEqual([
      {
        kind: 'person',
        signerId: people.viceChairman.id,
        signerName: people.viceChairman.name,
        signerTitle: 'Phó Chủ tịch',
        signerOrgId: 'ubnd-hanoi',
        capacity: { kind: 'KT', onBehalfOfCollective: true },
        lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
        at: NOW.toISOString(),
        documentSha256: sha('signed v1'),
      },
    ]);
    expect(events.at(-1)?.documentSha256).toBe(sha('signed v1'));
  });

  it('sign TL. by delegation, from the city office', () => {
    const chief: Actor = {
      ...people.officeChief,
      delegations: [
        {
          id: 'del-tl',
          kind: 'TL',
          orgId: 'ubnd-hanoi',
          grantedBy: people.chairman.id,
          delegateId: people.officeChief.id,
          basis: 'Quy chế làm việc',
          validFrom: '2025-07-01T00:00:00.000Z',
        },
      ],
    };
    const { doc, events } = runOutgoing([
      [createCommand({ typeId: 'cong-van', draftingUnitCode: 'KGVX' }), people.citySpecialist],
      valid.submit,
      [{ type: 'approve', signerId: chief.id }, people.chairman],
      [{ type: 'sign', capacity: { kind: 'TL', delegationId: 'del-tl' }, documentSha256: sha('tl') }, chief],
      [issueCommand(), people.cityClerk],
    ]);
    expect(doc.signatures[0]).toMatchObject({
      delegationId: 'del-tl',
      lines: ['TL. CHỦ TỊCH', 'CHÁNH VĂN PHÒNG'],
    });
    expect(doc.symbol).toBe('01/UBND-KGVX');
    const signed = events.find((e) => e.type === 'signed');
    expect(signed).toMatchObject({ orgId: 'ubnd-hanoi', actor: { orgId: 'van-phong-ubnd', role: 'leader' } });
  });

  it('issue: the clerk numbers and dates it atomically and applies the organisation signature', () => {
    const { doc, series, events } = runOutgoing(pathTo.ISSUED);
    expect(doc).toMatchObject({
      state: 'ISSUED',
      number: 1,
      notation: 'QĐ-UBND',
      symbol: '01/QĐ-UBND',
      issuedOn: '2026-01-05',
      issuedAt: NOW.toISOString(),
      dateLine: 'Hà Nội, ngày 05 tháng 01 năm 2026',
      seriesKey: 'ubnd-hanoi#2026',
      documentSha256: sha('issued 1'),
    });
    expect(doc.signatures.map((s) => s.kind)).toEqual(['person', 'organisation']);
    expect(doc.signatures[1]).toMatchObject({ orgId: 'ubnd-hanoi', appliedBy: people.cityClerk.id });
    expect(series).toEqual({
      key: 'ubnd-hanoi#2026',
      orgId: 'ubnd-hanoi',
      year: 2026,
      kind: 'general',
      lastNumber: 1,
    });
    expect(events.at(-1)?.type).toBe('issued');
  });

  it('issue continues the series and uses the ward’s place name', () => {
    const wardDraft = createCommand({ recipients: [{ to: 'ubnd-hanoi', purpose: 'action' }] });
    const stored = { ...emptySeries('phuong-ba-dinh', 2026), lastNumber: 8 };
    const at = later(60 * 24 * 40); // 14 February 2026
    const { doc, series } = runOutgoing(
      [
        [wardDraft, people.wardSpecialist],
        [{ type: 'submit' }, people.wardSpecialist],
        [{ type: 'approve' }, people.wardUnitHead],
        [{ type: 'sign', capacity: { kind: 'TM' }, documentSha256: sha('w') }, people.wardChairman],
        [issueCommand(9, at), people.wardClerk, at],
      ],
      { series: stored },
    );
    expect(doc).toMatchObject({
      number: 9,
      symbol: '09/QĐ-UBND',
      dateLine: 'Ba Đình, ngày 14 tháng 02 năm 2026',
    });
    expect(series?.lastNumber).toBe(9);
  });

  it('issue at 2026-12-31T18:00Z starts the 2027 series', () => {
    const at = new Date('2026-12-31T18:00:00Z');
    const signed = runOutgoing(toSigned()).doc;
    const stored = { ...emptySeries('ubnd-hanoi', 2026), lastNumber: 5000 };
    expect(previewIssue(signed, directory.city, stored, at)).toMatchObject({
      number: 1,
      symbol: '01/QĐ-UBND',
      issuedOn: '2027-01-01',
      dateLine: 'Hà Nội, ngày 01 tháng 01 năm 2027',
      seriesKey: 'ubnd-hanoi#2027',
    });
    const d = decideOutgoing(signed, issueCommand(1, at), people.cityClerk, at, { ...ctx, series: stored });
    expect(d.series).toMatchObject({ key: 'ubnd-hanoi#2027', lastNumber: 1 });
    expect(d.state.issuedOn).toBe('2027-01-01');
  });

  it('issue refuses a stale number or date (409), so the clerk numbers again', () => {
    const signed = runOutgoing(toSigned()).doc;
    const series = { ...emptySeries('ubnd-hanoi', 2026), lastNumber: 3 };
    expect(
      error(() => decideOutgoing(signed, issueCommand(3), people.cityClerk, NOW, { ...ctx, series })),
    ).toMatchObject({
      code: 'numbering_conflict',
      status: 409,
      params: { expected: 3, actual: 4 },
    });
    const yesterday = issueCommand(4, new Date(NOW.getTime() - 86_400_000));
    expect(
      error(() => decideOutgoing(signed, yesterday, people.cityClerk, NOW, { ...ctx, series })),
    ).toMatchObject({
      code: 'issue_date_changed',
      status: 409,
    });
  });

  it('send → SENT with the recipients; archive → ARCHIVED', () => {
    const { doc, events } = runOutgoing(pathTo.ARCHIVED);
    expect(doc).toMatchObject({
      state: 'ARCHIVED',
      sentAt: NOW.toISOString(),
      archivedAt: NOW.toISOString(),
    });
    const sent = events.find((e) => e.type === 'sent');
    expect(sent?.type === 'sent' && sent.payload.recipients.map((r) => r.orgId)).toEqual([
      'phuong-ba-dinh',
      'so-noi-vu',
      'xa-soc-son',
    ]);
  });

  it('recall, replace and correct from ISSUED, SENT and ARCHIVED', () => {
    for (const from of ['ISSUED', 'SENT', 'ARCHIVED'] as const) {
      const recalled = runOutgoing([...pathTo[from], valid.recall]).doc;
      expect(recalled).toMatchObject({ state: 'RECALLED', recallReason: 'Sai thẩm quyền ban hành' });
      const replaced = runOutgoing([...pathTo[from], valid.replace]).doc;
      expect(replaced).toMatchObject({
        state: 'REPLACED',
        replacedBy: 'doc-2',
        amendedBy: [{ kind: 'replaces', documentId: 'doc-2', symbol: '02/QĐ-UBND' }],
      });
      // A corrected document stays in force, and may be corrected again, then replaced.
      const corrected = runOutgoing([...pathTo[from], valid.correct, valid.correct, valid.replace]);
      expect(corrected.doc.state).toBe('REPLACED');
      expect(corrected.doc.amendedBy?.map((a) => a.kind)).toEqual(['corrects', 'corrects', 'replaces']);
      expect(runOutgoing([...pathTo[from], valid.correct]).doc.state).toBe(from);
    }
  });

  it('every event of a decision concerns the issuing organisation and counts one version', () => {
    const { doc, events } = runOutgoing(pathTo.ARCHIVED);
    expect(new Set(events.map((e) => e.orgId))).toEqual(new Set(['ubnd-hanoi']));
    expect(doc.version).toBe(events.length);
  });
});

describe('forbidden transitions: wrong state → 409 naming the state', () => {
  const states = OutgoingStateSchema.options;
  for (const [type, [command, who]] of Object.entries(valid)) {
    const rule = OUTGOING_RULES[type as keyof typeof valid];
    for (const state of states.filter((s) => !rule.from.includes(s))) {
      it(`${type} in ${state}`, () => {
        const { doc, series } = docIn(state);
        const e = error(() => decideOutgoing(doc, command, who, later(1), { ...ctx, series }));
        expect(e.status).toBe(409);
        expect(e.code).toBe(`outgoing_cannot_${type.replaceAll('-', '_')}`);
        expect(e.params).toMatchObject({ state });
      });
    }
  }

  it('renders the reason in Vietnamese and English', () => {
    const e = error(() => decideOutgoing(docIn('DRAFT').doc, valid.issue[0], people.cityClerk, NOW, ctx));
    expect(renderError(e, 'vi')).toBe(
      'Không thể phát hành văn bản khi văn bản đang ở trạng thái Dự thảo; chỉ phát hành văn bản đã ký và chưa phát hành.',
    );
    expect(renderError(e, 'en')).toBe(
      'Cannot issue the document while it is a draft; only a signed document that has not been issued can be issued.',
    );
  });

  it('create on an existing document', () => {
    const e = error(() =>
      decideOutgoing(docIn('DRAFT').doc, createCommand(), people.citySpecialist, NOW, ctx),
    );
    expect(e).toMatchObject({ code: 'outgoing_exists', status: 409 });
  });
});

describe('forbidden transitions: wrong person → 403 with the reason', () => {
  const stateFor: Record<keyof typeof valid, OutgoingState> = {
    revise: 'DRAFT',
    submit: 'DRAFT',
    approve: 'UNDER_REVIEW',
    'return-for-revision': 'UNDER_REVIEW',
    sign: 'SUBMITTED_TO_SIGNER',
    issue: 'SIGNED',
    seal: 'ISSUED',
    send: 'ISSUED',
    archive: 'SENT',
    'renew-archive': 'ARCHIVED',
    recall: 'SENT',
    replace: 'SENT',
    correct: 'SENT',
    'add-attachment': 'DRAFT',
    'remove-attachment': 'DRAFT',
    place: 'DRAFT',
  };
  const wrongRole: Record<keyof typeof valid, Actor[]> = {
    revise: [people.chairman, people.cityClerk],
    submit: [people.cityClerk, people.chairman],
    approve: [people.citySpecialist, people.cityClerk],
    'return-for-revision': [people.citySpecialist, people.cityClerk],
    sign: [people.cityClerk, people.citySpecialist],
    issue: [people.chairman, people.citySpecialist, people.viceChairman],
    seal: [people.chairman, people.citySpecialist],
    send: [people.chairman, people.citySpecialist],
    archive: [people.chairman],
    'renew-archive': [people.chairman],
    recall: [people.cityClerk, people.citySpecialist],
    replace: [people.chairman, people.citySpecialist],
    correct: [people.chairman, people.citySpecialist],
    'add-attachment': [people.chairman, people.cityClerk],
    'remove-attachment': [people.chairman, people.cityClerk],
    place: [people.chairman],
  };

  for (const [type, [command]] of Object.entries(valid) as [keyof typeof valid, Step][]) {
    it(`${type}: other roles, auditors and admins`, () => {
      const { doc, series } = docIn(stateFor[type]);
      for (const who of [...wrongRole[type], people.auditor, people.admin]) {
        const e = error(() => decideOutgoing(doc, command, who, NOW, { ...ctx, series }));
        expect(e).toMatchObject({ code: 'forbidden_role', status: 403 });
      }
    });
  }

  it('people of another organisation with the right role', () => {
    const cases: [keyof typeof valid, Actor][] = [
      ['approve', people.wardChairman],
      ['issue', people.wardClerk],
      ['send', people.deptClerk],
      ['recall', people.director],
      ['sign', people.director],
    ];
    for (const [type, who] of cases) {
      const { doc, series } = docIn(stateFor[type]);
      const e = error(() => decideOutgoing(doc, valid[type][0], who, NOW, { ...ctx, series }));
      expect(e).toMatchObject({ code: 'forbidden_other_organisation', status: 403 });
      expect(renderError(e, 'en')).toContain('belongs to Ủy ban nhân dân thành phố Hà Nội');
    }
  });

  it('create by a clerk or a leader', () => {
    for (const who of [people.cityClerk, people.chairman, people.auditor])
      expect(error(() => decideOutgoing(undefined, createCommand(), who, NOW, ctx))).toMatchObject({
        code: 'forbidden_role',
        status: 403,
      });
    const e = error(() => decideOutgoing(undefined, createCommand(), people.cityClerk, NOW, ctx));
    expect(renderError(e, 'vi')).toBe('Bạn không có quyền soạn thảo văn bản: việc này dành cho chuyên viên.');
  });

  it('revise or submit by another specialist than the drafter', () => {
    const { doc } = docIn('DRAFT');
    for (const command of [valid.revise[0], valid.submit[0]])
      expect(error(() => decideOutgoing(doc, command, people.otherCitySpecialist, NOW, ctx))).toMatchObject({
        code: 'forbidden_not_drafter',
        status: 403,
      });
  });

  it('sign by a leader who is not the designated signer, or without the capacity', () => {
    const { doc } = docIn('SUBMITTED_TO_SIGNER');
    expect(error(() => decideOutgoing(doc, valid.sign[0], people.chairman, NOW, ctx))).toMatchObject({
      code: 'forbidden_not_designated_signer',
      status: 403,
    });
    const open = runOutgoing([...pathTo.UNDER_REVIEW, [{ type: 'approve' }, people.chairman]]).doc;
    const asHead: OutgoingCommand = { type: 'sign', capacity: { kind: 'TM' }, documentSha256: sha('x') };
    expect(error(() => decideOutgoing(open, asHead, people.viceChairman, NOW, ctx))).toMatchObject({
      code: 'capacity_not_entitled',
      status: 403,
    });
    expect(decideOutgoing(open, asHead, people.chairman, NOW, ctx).state.state).toBe('SIGNED');
  });

  it('recall by the head of an internal unit', () => {
    const wardDoc = runOutgoing([
      [createCommand({ recipients: [{ to: 'ubnd-hanoi', purpose: 'action' }] }), people.wardSpecialist],
      [{ type: 'submit' }, people.wardSpecialist],
      [{ type: 'approve' }, people.wardUnitHead],
      [{ type: 'sign', capacity: { kind: 'TM' }, documentSha256: sha('w') }, people.wardChairman],
      [issueCommand(), people.wardClerk],
    ]).doc;
    for (const command of [valid.recall[0]])
      expect(error(() => decideOutgoing(wardDoc, command, people.wardUnitHead, NOW, ctx))).toMatchObject({
        code: 'forbidden_role',
        status: 403,
      });
    expect(decideOutgoing(wardDoc, valid.recall[0], people.wardVice, NOW, ctx).state.state).toBe('RECALLED');
  });
});

describe('invalid input → 422', () => {
  it('rejects unknown recipients, the sender itself and flash-timed without a time', () => {
    const unknown = createCommand({ recipients: [{ to: 'quan-hoan-kiem', purpose: 'action' }] });
    expect(error(() => decideOutgoing(undefined, unknown, people.citySpecialist, NOW, ctx))).toMatchObject({
      code: 'recipient_unknown',
      status: 422,
    });
    const self = createCommand({ recipients: [{ to: 'ubnd-hanoi', purpose: 'action' }] });
    expect(error(() => decideOutgoing(undefined, self, people.citySpecialist, NOW, ctx))).toMatchObject({
      code: 'recipient_is_sender',
    });
    const flash = createCommand({ urgency: 'flash-timed' });
    expect(error(() => decideOutgoing(undefined, flash, people.citySpecialist, NOW, ctx))).toMatchObject({
      code: 'validation_failed',
      status: 422,
    });
    const timed = createCommand({ urgency: 'flash-timed', deliverBy: later(120).toISOString() });
    expect(decideOutgoing(undefined, timed, people.citySpecialist, NOW, ctx).state.deliverBy).toBe(
      later(120).toISOString(),
    );
  });

  it('rejects a document replacing or correcting itself', () => {
    const { doc } = docIn('SENT');
    const self: OutgoingCommand = { type: 'replace', replacementDocumentId: doc.id, symbol: 'x' };
    expect(error(() => decideOutgoing(doc, self, people.cityClerk, NOW, ctx))).toMatchObject({
      code: 'replacement_is_self',
      status: 422,
    });
    const selfCorrection: OutgoingCommand = { type: 'correct', correctionDocumentId: doc.id, symbol: 'x' };
    expect(error(() => decideOutgoing(doc, selfCorrection, people.cityClerk, NOW, ctx))).toMatchObject({
      code: 'correction_is_self',
      status: 422,
    });
  });
});

describe('attachments (D30 Appendix I)', () => {
  it('a draft gains attachments a1, a2 …, loses one, keeps them through a revision, and the issue seals each', () => {
    const add = (title: string, format?: 'pdf' | 'file'): Step => [
      { type: 'add-attachment', attachment: attachmentFile(title, format) },
      people.citySpecialist,
    ];
    const drafted = runOutgoing([
      ...pathTo.DRAFT,
      add('Phụ lục I'),
      add('Bảng số liệu', 'file'),
      add('Phụ lục III'),
    ]);
    expect(drafted.doc.attachments?.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
    expect(drafted.events.slice(1).map((e) => e.type)).toEqual([
      'attachment-added',
      'attachment-added',
      'attachment-added',
    ]);
    const removed = runOutgoing([
      ...pathTo.DRAFT,
      add('Phụ lục I'),
      add('Bảng số liệu', 'file'),
      [{ type: 'remove-attachment', attachmentId: 'a1' }, people.citySpecialist],
      add('Phụ lục mới'),
      valid.revise,
    ]);
    expect(removed.doc.attachments?.map((a) => [a.id, a.title])).toEqual([
      ['a2', 'Bảng số liệu'],
      ['a1', 'Phụ lục mới'],
    ]);
    expect(OutgoingDocumentSchema.parse(removed.doc)).toEqual(removed.doc);
    const issued = runOutgoing([
      ...pathTo.DRAFT,
      add('Phụ lục I'),
      add('Bảng số liệu', 'file'),
      valid.submit,
      valid.approve,
      valid.sign,
      [
        {
          type: 'issue',
          number: 1,
          issuedOn: vietnamCalendarDate(NOW),
          documentSha256: sha('issued 1'),
          attachments: [
            {
              ...attachmentFile('Phụ lục I'),
              id: 'a1',
              sealedSha256: sha('sealed a1'),
              certificateSha256: sha('seal cert'),
            },
            {
              ...attachmentFile('Bảng số liệu', 'file'),
              id: 'a2',
              sealedSha256: sha('file a2'),
              signatureSha256: sha('p7s a2'),
              certificateSha256: sha('seal cert'),
            },
          ],
        },
        people.cityClerk,
      ],
    ]);
    expect(issued.doc.state).toBe('ISSUED');
    expect(issued.doc.attachments).toMatchObject([
      { id: 'a1', title: 'Phụ lục I', sealedSha256: sha('sealed a1') },
      { id: 'a2', format: 'file', sealedSha256: sha('file a2'), signatureSha256: sha('p7s a2') },
    ]);
  });

  it('only the drafter changes them; an unknown attachment is 404; at most 20', () => {
    const { doc } = docIn('DRAFT');
    expect(
      error(() => decideOutgoing(doc, valid['add-attachment'][0], people.otherCitySpecialist, NOW, ctx)),
    ).toMatchObject({ code: 'forbidden_not_drafter', status: 403 });
    const e = error(() =>
      decideOutgoing(doc, valid['remove-attachment'][0], people.citySpecialist, NOW, ctx),
    );
    expect(e).toMatchObject({ code: 'not_found', status: 404 });
    expect(renderError(e, 'en')).toContain('attachment');
    const full = runOutgoing([
      ...pathTo.DRAFT,
      ...Array.from(
        { length: 20 },
        (_, i): Step => [
          { type: 'add-attachment', attachment: attachmentFile(`Phụ lục ${i + 1}`) },
          people.citySpecialist,
        ],
      ),
    ]).doc;
    expect(
      error(() => decideOutgoing(full, valid['add-attachment'][0], people.citySpecialist, NOW, ctx)),
    ).toMatchObject({ code: 'attachments_too_many', status: 422 });
  });
});

describe('replacement and correction (D30): a document of its own that names the one it amends', () => {
  const original = docIn('SENT').doc;
  const amending = (
    kind: 'replaces' | 'corrects',
    recipients = [{ to: 'so-tai-chinh', purpose: 'action' as const }],
  ) =>
    runOutgoing([
      [
        createCommand({
          recipients,
          amends: { kind, documentId: original.id, symbol: original.symbol ?? '' },
        }),
        people.citySpecialist,
      ],
      valid.submit,
      valid.approve,
      valid.sign,
      valid.issue,
    ]).doc;

  it('sending it reaches every recipient of the original as well, with the purpose they had', () => {
    const doc = { ...amending('replaces'), id: 'doc-2' };
    expect(doc.amends).toEqual({ kind: 'replaces', documentId: original.id, symbol: original.symbol });
    const sent = decideOutgoing(doc, { type: 'send' }, people.cityClerk, NOW, { ...ctx, amended: original });
    expect(sent.state.recipients).toEqual([
      { orgId: 'so-tai-chinh', purpose: 'action' },
      ...original.recipients.filter((r) => r.orgId !== 'so-tai-chinh'),
    ]);
    // A correction naming no recipients of its own goes to the original's.
    const correction = { ...amending('corrects', []), id: 'doc-3' };
    const corrected = decideOutgoing(correction, { type: 'send' }, people.cityClerk, NOW, {
      ...ctx,
      amended: original,
    });
    expect(corrected.state.recipients).toEqual(original.recipients);
  });

  it('refuses to send it once the original was recalled or replaced meanwhile', () => {
    const doc = { ...amending('corrects'), id: 'doc-3' };
    for (const gone of [valid.recall, valid.replace]) {
      const amended = runOutgoing([...pathTo.SENT, gone]).doc;
      const e = error(() =>
        decideOutgoing(doc, { type: 'send' }, people.cityClerk, NOW, { ...ctx, amended }),
      );
      expect(e).toMatchObject({ code: 'amended_cannot_correct', status: 409 });
      expect(renderError(e, 'vi')).toContain(`Văn bản số ${original.symbol}`);
      expect(renderError(e, 'en')).toContain('cannot be corrected');
    }
  });
});
