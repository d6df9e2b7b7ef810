import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Decision } from '../../lambdas/core/domain/decision';
import type { EventDraft } from '../../lambdas/core/domain/events';
import {
  arriveIncoming,
  decideIncoming,
  type IncomingCommand,
  type IncomingRecord,
} from '../../lambdas/core/domain/incoming';
import type { NumberingSeries } from '../../lambdas/core/domain/numbering';
import {
  decideOutgoing,
  type OutgoingCommand,
  type OutgoingDocument,
} from '../../lambdas/core/domain/outgoing';
import { appendEvents, verifyChain } from '../../lambdas/core/log/chain';
import type { CirculationEvent } from '../../lambdas/core/log/event';
import { documentView, foldEvents, projectDocument } from '../../lambdas/core/log/projection';
import { ctx, issueCommand, later, people, toSigned } from './domain-fixtures';

/**
 * Plays a document's life command by command, keeping the states each decision returns (the incremental
 * path, as the API stores them) and appending every event to one hash-chained log.
 */
class Circulation {
  doc: OutgoingDocument | undefined;
  readonly records = new Map<string, IncomingRecord>();
  readonly arrivalSeries = new Map<string, NumberingSeries>();
  series: NumberingSeries | undefined;
  log: CirculationEvent[] = [];
  private minute = 0;

  private record(d: Decision<unknown>): void {
    this.log.push(...appendEvents(this.log.at(-1), d.events as EventDraft[]));
  }

  private now(): Date {
    this.minute += 7;
    return later(this.minute);
  }

  out(command: OutgoingCommand, who: Actor): this {
    const d = decideOutgoing(this.doc, command, who, this.now(), { ...ctx, series: this.series });
    this.doc = d.state;
    if (d.series) this.series = d.series;
    this.record(d);
    return this;
  }

  arrive(orgId: string, who: Actor, forwardedBy?: string): this {
    if (!this.doc) throw new Error('no document');
    const forwardedFrom = forwardedBy ? this.records.get(forwardedBy) : undefined;
    const d = arriveIncoming(this.doc, orgId, who, this.now(), ctx, forwardedFrom ? { forwardedFrom } : {});
    this.records.set(orgId, d.state);
    this.record(d);
    return this;
  }

  in(orgId: string, command: IncomingCommand, who: Actor): this {
    const record = this.records.get(orgId);
    if (!record) throw new Error(`no record at ${orgId}`);
    const d = decideIncoming(record, command, who, this.now(), {
      ...ctx,
      arrivalSeries: this.arrivalSeries.get(orgId),
    });
    this.records.set(orgId, d.state);
    if (d.series) this.arrivalSeries.set(orgId, d.series);
    this.record(d);
    return this;
  }

  /** The view built from the stored states. */
  view() {
    return documentView('doc-1', this.doc, [...this.records.values()]);
  }
}

const register: IncomingCommand = { type: 'register', signatureCheck: { valid: true } };
const WARD = 'phuong-ba-dinh';
const DEPT = 'so-noi-vu';
const COMMUNE = 'xa-soc-son';
const HEALTH = 'so-y-te';

const communeClerk: Actor = {
  id: 'u-commune-clerk',
  name: 'Văn Thư Xã',
  position: { orgId: COMMUNE, role: 'clerk', title: 'Văn thư' },
};
const healthClerk: Actor = {
  id: 'u-health-clerk',
  name: 'Văn Thư Sở',
  position: { orgId: HEALTH, role: 'clerk', title: 'Văn thư' },
};

function sent(): Circulation {
  const c = new Circulation();
  for (const [command, who] of toSigned()) c.out(command, who);
  return c.out(issueCommand(1, later(28)), people.cityClerk).out({ type: 'send' }, people.cityClerk);
}

function busy(): Circulation {
  return sent()
    .arrive(WARD, people.cityClerk)
    .arrive(DEPT, people.cityClerk)
    .in(WARD, register, people.wardClerk)
    .in(DEPT, { type: 'return', reason: 'Không thuộc thẩm quyền của Sở' }, people.deptClerk)
    .in(WARD, { type: 'present', toPersonId: people.wardChairman.id }, people.wardClerk)
    .arrive(COMMUNE, people.cityClerk)
    .in(
      WARD,
      {
        type: 'assign',
        lead: { kind: 'unit', unitCode: 'VHXH' },
        supporting: [],
        forInformation: [],
        note: 'Giao VHXH',
      },
      people.wardChairman,
    )
    .in(COMMUNE, register, communeClerk)
    .in(
      WARD,
      { type: 'reassign', handler: { kind: 'person', personId: people.wardSpecialist.id } },
      people.wardUnitHead,
    )
    .in(COMMUNE, { type: 'forward', to: [HEALTH] }, communeClerk)
    .in(WARD, { type: 'start' }, people.wardSpecialist)
    .arrive(HEALTH, communeClerk, COMMUNE)
    .in(WARD, { type: 'resolve', replyDocumentId: 'doc-77' }, people.wardSpecialist)
    .in(HEALTH, register, healthClerk);
}

describe('projection from the log', () => {
  it('rebuilds exactly the view kept command by command', () => {
    const c = busy();
    const stored = JSON.parse(JSON.stringify(c.log)) as CirculationEvent[]; // as read back from storage
    expect(verifyChain(stored).ok).toBe(true);
    expect(projectDocument('doc-1', stored)).toEqual(JSON.parse(JSON.stringify(c.view())));
    expect(projectDocument('doc-1', c.log)).toEqual(c.view());
  });

  it('gives state, number, signatures and every recipient’s delivery status', () => {
    const view = projectDocument('doc-1', busy().log);
    expect(view).toMatchObject({ state: 'SENT', number: 1, symbol: '01/QĐ-UBND' });
    expect(view.signatures.map((s) => s.kind)).toEqual(['person', 'organisation']);
    expect(view.deliveries.map((d) => [d.orgId, d.status, d.exchangeCode, d.forwardedBy])).toEqual([
      [WARD, 'done', '06', undefined],
      [DEPT, 'refused', '02', undefined],
      [COMMUNE, 'done', '06', undefined],
      [HEALTH, 'accepted', '03', COMMUNE],
    ]);
    expect(view.deliveries[0]).toMatchObject({ replyDocumentId: 'doc-77', arrivalNumber: 1 });
    expect(view.incoming.map((r) => r.orgId)).toEqual([WARD, DEPT, HEALTH, COMMUNE].sort());
  });

  it('agrees with the stored states at every step', () => {
    const c = sent();
    const steps: ((c: Circulation) => Circulation)[] = [
      (x) => x.arrive(WARD, people.cityClerk),
      (x) => x.in(WARD, register, people.wardClerk),
      (x) => x.arrive(COMMUNE, people.cityClerk),
      (x) => x.out({ type: 'recall', reason: 'Ban hành sai thẩm quyền' }, people.chairman),
      (x) => x.in(WARD, { type: 'recall', reason: 'Ban hành sai thẩm quyền' }, people.chairman),
      (x) => x.in(COMMUNE, { type: 'recall', reason: 'Ban hành sai thẩm quyền' }, people.cityClerk),
    ];
    expect(projectDocument('doc-1', c.log)).toEqual(c.view());
    expect(c.view().deliveries.map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
    for (const step of steps) {
      step(c);
      expect(projectDocument('doc-1', c.log)).toEqual(c.view());
    }
    const view = c.view();
    expect(view.state).toBe('RECALLED');
    expect(view.deliveries.map((d) => [d.orgId, d.status, d.exchangeCode])).toEqual([
      [WARD, 'recalled', '13'],
      [DEPT, 'pending', undefined],
      [COMMUNE, 'recalled', '13'],
    ]);
  });

  it('folds drafts before sending into the document alone', () => {
    const c = new Circulation();
    for (const [command, who] of toSigned()) c.out(command, who);
    const folded = foldEvents(c.log);
    expect(folded.document).toEqual(c.doc);
    expect(folded.incoming).toEqual([]);
    expect(projectDocument('doc-1', c.log).deliveries).toEqual([]);
  });

  it('refuses events of another document', () => {
    const c = sent();
    expect(() => projectDocument('doc-2', c.log)).toThrow(/in the log of doc-2/);
  });
});
