import { describe, expect, it } from 'vitest';
import {
  DocumentViewSchema,
  IncomingRegisterEntrySchema,
  OutgoingRegisterEntrySchema,
} from '../../lambdas/contracts/documents';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { EventDraft } from '../../lambdas/core/domain/events';
import { arriveIncoming, decideIncoming, type IncomingRecord } from '../../lambdas/core/domain/incoming';
import { incomingRegisterEntry, outgoingRegisterEntry } from '../../lambdas/core/domain/registers';
import type { DocumentAccess } from '../../lambdas/core/domain/visibility';
import { appendEvents } from '../../lambdas/core/log/chain';
import type { CirculationEvent } from '../../lambdas/core/log/event';
import { documentViewFor, type StoredDocumentState } from '../../lambdas/core/views/document-view';
import { buildOpenApiDocument } from '../../lambdas/http/openapi';
import { ctx, directory, later, NOW, people, runOutgoing, sentDocument, toSigned } from './domain-fixtures';

/*
 * The document view is a contract the web parses: every field documentViewFor returns is in the schema
 * (parsing strips unknown members, so a view equal to its parse has none), and the schema accepts every
 * view the core builds.
 */

const WARD = 'phuong-ba-dinh';

/** A city decision sent to its recipients; the ward has registered it (and presented it to its chairman). */
function circulated() {
  const { doc, events } = sentDocument();
  const arrival = arriveIncoming(doc, WARD, people.cityClerk, later(1), ctx);
  let record: IncomingRecord = arrival.state;
  const incomingEvents: EventDraft[] = [...arrival.events];
  for (const [command, who] of [
    [{ type: 'register', signatureCheck: { valid: true } }, people.wardClerk],
    [{ type: 'present', toPersonId: people.wardChairman.id }, people.wardClerk],
  ] as const) {
    const d = decideIncoming(record, command, who, later(2), ctx);
    record = d.state;
    incomingEvents.push(...d.events);
  }
  const log = appendEvents(undefined, [...events, ...incomingEvents]);
  const last = log.at(-1);
  return {
    doc,
    record,
    log,
    stored: {
      document: doc,
      incoming: [record],
      head: last && { seq: last.seq, hash: last.hash },
    } satisfies StoredDocumentState,
  };
}

function viewOf(
  who: Actor,
  access: DocumentAccess,
  stored: StoredDocumentState,
  log: readonly CirculationEvent[],
) {
  const view = documentViewFor({ actor: who, directory }, access, 'doc-1', stored, log, NOW);
  // What goes over the wire.
  const json: unknown = JSON.parse(JSON.stringify(view));
  return { view, json };
}

describe('the document view contract', () => {
  it('describes the sender’s view exactly, with deliveries, the log and what the caller may do', () => {
    const { stored, log } = circulated();
    const { view, json } = viewOf(people.chairman, 'sender', stored, log);
    expect(DocumentViewSchema.parse(json)).toEqual(json);
    expect(view).toMatchObject({
      state: 'SENT',
      symbol: '01/QĐ-UBND',
      chain: { valid: true, length: log.length },
      actions: ['recall'],
      capacities: [],
    });
    expect(view.deliveries?.find((d) => d.orgId === WARD)).toMatchObject({ status: 'accepted' });
    expect(view.log.map((e) => e.type)).toContain('registered');
  });

  it('describes a recipient’s view exactly: its own record and steps, what it may do', () => {
    const { stored, log } = circulated();
    const { view, json } = viewOf(people.wardChairman, 'recipient', stored, log);
    expect(DocumentViewSchema.parse(json)).toEqual(json);
    expect(view).toMatchObject({
      state: 'SENT',
      record: { state: 'PRESENTED' },
      actions: ['assign', 'forward'],
    });
    expect(view.document).toBeUndefined();
    expect(view.deliveries).toBeUndefined();
    expect(new Set(view.log.map((e) => e.orgId))).toEqual(new Set(['ubnd-hanoi', WARD]));
  });

  it('offers the signer the capacities they may sign in', () => {
    const run = runOutgoing(toSigned().slice(0, 3));
    const log = appendEvents(undefined, run.events);
    const { view, json } = viewOf(people.viceChairman, 'sender', { document: run.doc, incoming: [] }, log);
    expect(DocumentViewSchema.parse(json)).toEqual(json);
    expect(view.actions).toEqual(['sign', 'returnDraft']);
    expect(view.capacities).toEqual([{ kind: 'KT' }, { kind: 'KT', onBehalfOfCollective: true }]);
  });

  it('describes a draft whose file is awaited', () => {
    const stored: StoredDocumentState = {
      incoming: [],
      pendingUpload: {
        createdBy: people.citySpecialist.id,
        metadata: { typeId: 'cong-van', subject: 'Về việc thử nghiệm', urgency: 'normal', recipients: [] },
      },
    };
    const { view, json } = viewOf(people.citySpecialist, 'sender', stored, []);
    expect(DocumentViewSchema.parse(json)).toEqual(json);
    expect(view).toMatchObject({
      state: 'AWAITING_CONTENT',
      title: 'Về việc thử nghiệm',
      actions: ['upload'],
      chain: { valid: true, length: 0 },
    });
  });

  it('still describes a document whose log was tampered with, leaving out what is not an event', () => {
    const { stored, log } = circulated();
    const tampered = [...log];
    const third = tampered[2];
    if (!third) throw new Error('no third event');
    // Not an event any more: no actor, a type nobody knows.
    tampered[2] = { ...third, type: 'rewritten', actor: undefined } as unknown as CirculationEvent;
    const { view, json } = viewOf(people.chairman, 'sender', stored, tampered);
    expect(DocumentViewSchema.parse(json)).toEqual(json);
    expect(view.chain).toMatchObject({ valid: false, atSeq: 3, problem: 'malformed' });
    expect(view.log.map((e) => e.seq)).not.toContain(3);
    // Everything the sender sees but the broken event: not the ward's presentation to its chairman.
    expect(view.log).toHaveLength(log.length - 2);
  });
});

describe('notes have an audience', () => {
  /** The circulated document, assigned by the ward's chairman with a direction note. */
  function assigned() {
    const { stored, log } = circulated();
    const [record] = stored.incoming;
    if (!record) throw new Error('no record');
    const d = decideIncoming(
      record,
      {
        type: 'assign',
        lead: { kind: 'person', personId: people.wardSpecialist.id },
        supporting: [],
        forInformation: [],
        note: 'Giao anh Sơn chủ trì, báo cáo trước thứ Sáu',
      },
      people.wardChairman,
      later(3),
      ctx,
    );
    const all = appendEvents(log.at(-1), d.events);
    return {
      log: [...log, ...all],
      stored: { ...stored, incoming: [d.state] } satisfies StoredDocumentState,
    };
  }

  it('keep the sender’s drafting to the sender: a recipient sees the signature, issue and sending only', () => {
    const { stored, log } = assigned();
    const { view } = viewOf(people.wardChairman, 'recipient', stored, log);
    const theirs = view.log.filter((e) => e.orgId === 'ubnd-hanoi').map((e) => e.type);
    expect(theirs).toEqual(['signed', 'issued', 'sent']);
    expect(log.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'submitted', 'approved']));
    // Its own steps and its own record, direction note included.
    expect(view.log.map((e) => e.type)).toContain('assigned');
    expect(view.record?.assignment?.note).toBe('Giao anh Sơn chủ trì, báo cáo trước thứ Sáu');
  });

  it('keep the recipient’s handling to the recipient: the sender sees its receipt and status, no note or assignee', () => {
    const { stored, log } = assigned();
    const { view, json } = viewOf(people.chairman, 'sender', stored, log);
    expect(DocumentViewSchema.parse(json)).toEqual(json);
    const wards = view.log.filter((e) => e.orgId === WARD).map((e) => e.type);
    expect(wards).toEqual(['arrived', 'registered']);
    expect(JSON.stringify(json)).not.toContain('báo cáo trước thứ Sáu');
    expect(JSON.stringify(json)).not.toContain(people.wardSpecialist.id);
    const record = view.incoming?.find((r) => r.orgId === WARD);
    expect(record).toMatchObject({ state: 'ASSIGNED' });
    expect(record?.assignment).toBeUndefined();
    expect(record?.presentedTo).toBeUndefined();
    expect(view.deliveries?.find((d) => d.orgId === WARD)).toMatchObject({ status: 'assigned' });
  });

  it('show an auditor everything', () => {
    const { stored, log } = assigned();
    const { view } = viewOf(people.auditor, 'auditor', stored, log);
    expect(view.log).toHaveLength(log.length);
    expect(view.incoming?.[0]?.assignment?.note).toBe('Giao anh Sơn chủ trì, báo cáo trước thứ Sáu');
  });
});

describe('the register contracts', () => {
  it('describe the rows the registers are written with, exactly', () => {
    const { doc, record } = circulated();
    const row = (entry: ReturnType<typeof outgoingRegisterEntry>) => ({
      number: entry.number,
      documentId: entry.documentId,
      ...entry.row,
    });
    const outgoing = JSON.parse(JSON.stringify(row(outgoingRegisterEntry(doc, directory))));
    expect(OutgoingRegisterEntrySchema.parse(outgoing)).toEqual(outgoing);
    const incoming = JSON.parse(JSON.stringify(row(incomingRegisterEntry(record, directory))));
    expect(IncomingRegisterEntrySchema.parse(incoming)).toEqual(incoming);
  });
});

describe('the OpenAPI document', () => {
  it('shows the document view as its contract has it, with the actions and capacities', () => {
    const doc = buildOpenApiDocument('http://localhost');
    const answer = doc.paths?.['/api/documents/{id}']?.get?.responses?.['200'];
    expect(JSON.stringify(answer)).toContain('#/components/schemas/DocumentView');
    const schemas = (doc.components?.schemas ?? {}) as Record<
      string,
      { properties?: Record<string, unknown> }
    >;
    const view = schemas.DocumentView?.properties ?? {};
    expect(Object.keys(view)).toEqual(
      expect.arrayContaining([
        'state',
        'document',
        'record',
        'log',
        'chain',
        'actions',
        'capacities',
        'upload',
      ]),
    );
    expect(view.actions).toEqual({ type: 'array', items: { $ref: '#/components/schemas/DocumentAction' } });
    expect(schemas.DocumentAction).toMatchObject({
      enum: expect.arrayContaining(['sign', 'returnToSender']),
    });
  });
});
