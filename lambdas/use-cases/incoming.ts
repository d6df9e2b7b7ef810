import type { Caller } from '../core/domain/caller';
import type { Assignee, EventDraft } from '../core/domain/events';
import {
  arriveIncoming,
  decideIncoming,
  type IncomingCommand,
  type IncomingRecord,
} from '../core/domain/incoming';
import { seriesKeyAt } from '../core/domain/numbering';
import { incomingRegisterEntry, type RegisterEntry } from '../core/domain/registers';
import { documentNotFound } from '../core/domain/visibility';
import {
  assertWriter,
  type CirculationPorts,
  commit,
  loadVisible,
  logDecision,
  onceTaken,
  type SigningPorts,
  withRetries,
} from './context';
import { outgoingCommand } from './drafts';
import { type DocumentView, viewFor } from './read/document-view';
import { assertAssignees, assertIssuedByCaller, assertLeaderOf } from './references';

/*
 * A recipient's handling of an arrived document (D30 Art.20–24): registered with an arrival number and
 * presented to the leader, assigned (lead, supporting, for information, deadline), handled and resolved,
 * forwarded to another organisation, or returned to its sender.
 */

/** A person's id, or `unit:<code>` for an internal unit (phòng, ban). */
export type AssigneeRef = string;

function assignee(ref: AssigneeRef): Assignee {
  return ref.startsWith('unit:')
    ? { kind: 'unit', unitCode: ref.slice(5) }
    : { kind: 'person', personId: ref };
}

/**
 * Decides one or more commands on the caller's organisation's record of the document and commits them
 * together (with the arrival number and the register row when the record gets its number).
 */
async function incomingCommand(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  command: IncomingCommand | ((record: IncomingRecord) => IncomingCommand[]),
  options: {
    arrivalSeries?: boolean;
    retryOf: readonly string[];
    /** Checks the ids the body names, once the core has allowed the step (use-cases/references.ts). */
    references?: () => Promise<void>;
  },
) {
  assertWriter(caller);
  const step = () =>
    withRetries(async () => {
      const snapshot = await loadVisible(ports, caller, id);
      const orgId = caller.actor.position.orgId;
      const before = snapshot.incoming.find((r) => r.orgId === orgId);
      if (!before) throw documentNotFound();
      const now = ports.now();
      const series = options.arrivalSeries
        ? await ports.documents.readSeries(seriesKeyAt(orgId, now, 'arrival'))
        : undefined;
      const commands = typeof command === 'function' ? command(before) : [command];
      let record = before;
      const events: EventDraft[] = [];
      let nextSeries: typeof series;
      for (const c of commands) {
        const decision = decideIncoming(record, c, caller.actor, now, {
          directory: caller.directory,
          arrivalSeries: series,
        });
        record = decision.state;
        events.push(...decision.events);
        nextSeries = decision.series ?? nextSeries;
      }
      await options.references?.();
      const registerEntries: RegisterEntry[] =
        record.arrivalNumber && !before.arrivalNumber
          ? [incomingRegisterEntry(record, caller.directory)]
          : [];
      await commit(ports, {
        documentId: id,
        head: snapshot.head,
        events,
        incoming: [{ before, after: record }],
        series: nextSeries ? { before: series, after: nextSeries } : undefined,
        registerEntries,
      });
      logDecision(caller, id, events);
      return { record, events };
    });
  // A retry of a step this caller just took answers with the record as it is (use-cases/context.ts).
  return onceTaken(ports, caller, id, options.retryOf, step, async () => {
    const record = (await ports.documents.read(id)).incoming.find(
      (r) => r.orgId === caller.actor.position.orgId,
    );
    if (!record) throw documentNotFound();
    return { record, events: [] as EventDraft[] };
  });
}

async function headOf(ports: CirculationPorts, orgId: string): Promise<string | undefined> {
  const leaders = (await ports.directory.listPeople()).filter(
    (p) => p.position.orgId === orgId && p.position.role === 'leader',
  );
  return (leaders.find((p) => p.position.rank === 'head' && !p.position.unitCode) ?? leaders[0])?.id;
}

/**
 * Registers an arrived document: its signatures are checked again now, it gets the next arrival number,
 * and it is presented to the head of the organisation (or the leader named) in the same step.
 */
export async function register(
  ports: SigningPorts,
  caller: Caller,
  id: string,
  presentTo: string | undefined,
): Promise<DocumentView> {
  assertWriter(caller);
  const snapshot = await loadVisible(ports, caller, id);
  const record = snapshot.incoming.find((r) => r.orgId === caller.actor.position.orgId);
  if (!record) throw documentNotFound();
  // Decided first as if the signatures held: a caller the step is not open to (another role, the wrong
  // state) is refused before any signature is checked; the clerk who just registered it gets the document.
  const retried = await onceTaken(
    ports,
    caller,
    id,
    ['registered', 'presented'],
    async () => {
      decideIncoming(
        record,
        { type: 'register', signatureCheck: { valid: true } },
        caller.actor,
        ports.now(),
        {
          directory: caller.directory,
        },
      );
      return false;
    },
    async () => true,
  );
  if (retried) return viewFor(ports, caller, id);
  const check = await ports.signing.verify(
    await ports.files.readRevision(id, record.documentSha256),
    ports.now(),
  );
  const leader = presentTo ?? (await headOf(ports, caller.actor.position.orgId));
  await incomingCommand(
    ports,
    caller,
    id,
    () => [
      { type: 'register', signatureCheck: { valid: check.valid, detail: check.detail } },
      ...(leader ? [{ type: 'present' as const, toPersonId: leader }] : []),
    ],
    {
      arrivalSeries: true,
      retryOf: ['registered', 'presented'],
      references: async () => {
        if (presentTo)
          await assertLeaderOf(ports, caller, caller.actor.position.orgId, presentTo, 'presentTo');
      },
    },
  );
  return viewFor(ports, caller, id);
}

export interface AssignDocument {
  readonly lead: AssigneeRef;
  readonly support?: readonly AssigneeRef[];
  readonly info?: readonly AssigneeRef[];
  readonly deadline: string;
  readonly note: string;
}

export async function assign(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  command: AssignDocument,
): Promise<DocumentView> {
  const refs = [
    { field: 'lead', ref: command.lead, handles: true },
    ...(command.support ?? []).map((ref, i) => ({ field: `support[${i}]`, ref, handles: false })),
    ...(command.info ?? []).map((ref, i) => ({ field: `info[${i}]`, ref, handles: false })),
  ];
  await incomingCommand(
    ports,
    caller,
    id,
    {
      type: 'assign',
      lead: assignee(command.lead),
      supporting: (command.support ?? []).map(assignee),
      forInformation: (command.info ?? []).map(assignee),
      deadline: command.deadline,
      note: command.note,
    },
    { retryOf: ['assigned'], references: () => assertAssignees(ports, caller, refs) },
  );
  return viewFor(ports, caller, id);
}

export interface ReassignDocument {
  readonly handler: AssigneeRef;
  readonly deadline?: string;
  readonly note?: string;
}

export async function reassign(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  command: ReassignDocument,
): Promise<DocumentView> {
  await incomingCommand(
    ports,
    caller,
    id,
    {
      type: 'reassign',
      handler: assignee(command.handler),
      deadline: command.deadline,
      note: command.note,
    },
    {
      retryOf: ['reassigned'],
      references: () =>
        assertAssignees(ports, caller, [{ field: 'handler', ref: command.handler, handles: true }]),
    },
  );
  return viewFor(ports, caller, id);
}

export async function start(ports: CirculationPorts, caller: Caller, id: string): Promise<DocumentView> {
  await incomingCommand(ports, caller, id, { type: 'start' }, { retryOf: ['started'] });
  return viewFor(ports, caller, id);
}

export interface ResolveDocument {
  /** The document the organisation replied with (one of its own). */
  readonly replyId?: string;
  readonly note?: string;
}

/** Resolves; a handler who has not pressed "start" yet starts and resolves in one step. */
export async function resolve(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  command: ResolveDocument,
): Promise<DocumentView> {
  const replyId = command.replyId;
  await incomingCommand(
    ports,
    caller,
    id,
    (record) => [
      ...(record.state === 'ASSIGNED' ? [{ type: 'start' as const }] : []),
      { type: 'resolve', replyDocumentId: command.replyId, note: command.note },
    ],
    {
      retryOf: ['resolved'],
      references: async () => {
        if (replyId) await assertIssuedByCaller(ports, caller, replyId, 'replyId');
      },
    },
  );
  return viewFor(ports, caller, id);
}

export interface ForwardDocument {
  readonly to: readonly string[];
  readonly note?: string;
}

/** Forwards to other organisations: the caller's record is closed, each new recipient gets an arrival. */
export async function forward(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  command: ForwardDocument,
): Promise<DocumentView> {
  const { record } = await incomingCommand(
    ports,
    caller,
    id,
    {
      type: 'forward',
      to: [...command.to],
      note: command.note,
    },
    { retryOf: ['forwarded'] },
  );
  const now = ports.now();
  await withRetries(async () => {
    const snapshot = await ports.documents.read(id);
    const doc = snapshot.document;
    if (!doc) throw documentNotFound();
    const events: EventDraft[] = [];
    const incoming: { before: undefined; after: IncomingRecord }[] = [];
    for (const orgId of record.forwardedTo ?? []) {
      if (snapshot.incoming.some((r) => r.orgId === orgId)) continue;
      const arrival = arriveIncoming(
        doc,
        orgId,
        caller.actor,
        now,
        { directory: caller.directory },
        { forwardedFrom: record },
      );
      events.push(...arrival.events);
      incoming.push({ before: undefined, after: arrival.state });
    }
    if (events.length > 0) await commit(ports, { documentId: id, head: snapshot.head, events, incoming });
  });
  return viewFor(ports, caller, id);
}

/**
 * "Return": a reviewer or signer returns a draft to its drafter; a recipient's clerk returns an arrived
 * document to its sender. Which one follows from who asks.
 */
export async function returnDocument(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  reason: string,
): Promise<DocumentView> {
  const snapshot = await loadVisible(ports, caller, id);
  if (snapshot.document?.orgId === caller.actor.position.orgId) {
    return outgoingCommand(ports, caller, id, { type: 'return-for-revision', reason });
  }
  await incomingCommand(ports, caller, id, { type: 'return', reason }, { retryOf: ['returned-to-sender'] });
  return viewFor(ports, caller, id);
}
