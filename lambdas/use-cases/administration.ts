import type { Actor } from '../core/domain/actor';
import { GUARDED_ROLES, requireAdministrator } from '../core/domain/administration';
import type { Caller } from '../core/domain/caller';
import type { Directory, Person, Position } from '../core/domain/directory';
import { handoverChange, incomingPending, outgoingPending } from '../core/domain/handover';
import { assignedPartition } from '../core/domain/inbox';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import { peopleError, peopleForbidden } from '../core/i18n/people';
import { prepareChange } from '../core/log/change';
import { logger } from '../observability/logger';
import type { Departure } from '../ports/directory';
import type { DocumentRepository } from '../ports/documents';
import type { OfficialCertificateStatus, OfficialCertificates } from '../ports/pki';
import type { SignInAccounts } from '../ports/sign-in';
import { withRetries } from './context';
import { administer, assertAdministers, type PeoplePorts } from './people';

/*
 * The administration screen's steps (issue 19): the people of the organisations an administrator manages,
 * with their certificates; adding a person; recording a departure. Changing a position is people.ts's.
 */

export interface AdministrationPorts extends PeoplePorts {
  readonly documents: Pick<DocumentRepository, 'read' | 'commit' | 'listInbox'>;
  readonly signIn: SignInAccounts;
  readonly officialCertificates: OfficialCertificates;
}

const personNotFound = (personId: string) =>
  new DomainError('not_found', 404, { what: messageText('what_user', { id: personId }) });

export interface AdministeredPerson extends Person {
  readonly certificate: OfficialCertificateStatus | null;
}

/** The people of one organisation the administrator manages, each with their certificate's status. */
export async function administeredPeople(
  ports: AdministrationPorts,
  caller: Caller,
  orgId: string | undefined,
): Promise<AdministeredPerson[]> {
  requireAdministrator(caller.actor);
  const wanted = orgId ?? caller.actor.position.orgId;
  caller.directory.get(wanted);
  assertAdministers(caller, wanted);
  const people = (await ports.directory.listPeople())
    .filter((p) => p.position.orgId === wanted)
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  return Promise.all(
    people.map(async (p) => ({
      ...p,
      certificate: (await ports.officialCertificates.officialCertificate(p.id)) ?? null,
    })),
  );
}

/**
 * Adds a person to an organisation the administrator manages. A position that administers or audits is not
 * given this way (it needs a second administrator: add the person, then request it); an id in use, or once
 * used by someone who left, is refused.
 */
export async function addPerson(
  ports: AdministrationPorts,
  caller: Caller,
  input: { readonly id: string; readonly name: string; readonly position: Position; readonly email?: string },
): Promise<Person & { readonly signIn: 'created' | 'exists' | 'none' }> {
  const admin = requireAdministrator(caller.actor);
  caller.directory.get(input.position.orgId);
  assertAdministers(caller, input.position.orgId);
  if (GUARDED_ROLES.includes(input.position.role)) throw peopleError('person_added_guarded', 422);
  const person: Person = { id: input.id, name: input.name, position: input.position };
  const now = ports.now();
  await administer(ports, async () => {
    const existing = await ports.directory.findPerson(person.id);
    // The same person added again (a retry whose answer was lost): done.
    if (existing && JSON.stringify(existing) === JSON.stringify(person)) throw new AlreadyDone();
    if (existing || (await ports.directory.findDeparture(person.id)))
      throw peopleError('person_exists', 409, { id: person.id });
    return {
      bodies: [
        {
          type: 'person-added',
          at: now.toISOString(),
          by: admin.id,
          personId: person.id,
          from: null,
          to: person.position,
        },
      ],
      people: [],
      added: [person],
    };
  }).catch((error: unknown) => {
    if (!(error instanceof AlreadyDone)) throw error;
  });
  // After the directory holds them (the account names their person id); a retry finds the account there.
  const signIn = await ports.signIn.create({
    personId: person.id,
    name: person.name,
    orgId: person.position.orgId,
    role: person.position.role,
    ...(input.email ? { email: input.email } : {}),
  });
  logger.info('person added', { personId: person.id, by: admin.id, position: person.position, signIn });
  return { ...person, signIn };
}

class AlreadyDone extends Error {}

/** One document handed over: its id and what it is for the successor. */
export interface HandedOver {
  readonly documentId: string;
  readonly kind: 'outgoing' | 'incoming';
  readonly subject: string;
}

export interface DepartureOutcome {
  readonly personId: string;
  readonly successorId: string;
  readonly at: string;
  readonly signIn: 'disabled' | 'none';
  readonly revokedCertificate?: string;
  readonly handedOver: readonly HandedOver[];
}

/** Everything still pending with the person in their organisation, read from the folders it can be in. */
async function pendingOf(ports: AdministrationPorts, personId: string, orgId: string): Promise<HandedOver[]> {
  const found = new Map<string, HandedOver>();
  const partitions = [
    `${orgId}#drafts`,
    `${orgId}#to-sign`,
    `${orgId}#incoming`,
    assignedPartition(orgId, `person:${personId}`),
  ];
  for (const partition of partitions) {
    let cursor: string | undefined;
    do {
      const page = await ports.documents.listInbox(partition, 100, cursor);
      for (const entry of page.items) {
        if (entry.kind === 'outgoing' && outgoingPending(entry.doc, personId))
          found.set(entry.doc.id, { documentId: entry.doc.id, kind: 'outgoing', subject: entry.doc.subject });
        if (
          entry.kind === 'incoming' &&
          entry.record.orgId === orgId &&
          incomingPending(entry.record, personId)
        )
          found.set(entry.record.documentId, {
            documentId: entry.record.documentId,
            kind: 'incoming',
            subject: entry.record.subject,
          });
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return [...found.values()].sort((a, b) => (a.documentId < b.documentId ? -1 : 1));
}

/**
 * Records that a person left: in one logged step (one entry of the administration log, written with their
 * leaving the directory), every document still pending with them (drafts they write or are to sign, records
 * presented or assigned to them) is handed to the successor, a person of the same organisation; then their
 * sign-in is disabled and their certificate revoked. From the entry on, the directory no longer knows them:
 * every request of theirs is refused, whatever token they hold. The handovers follow, each an event in its
 * document's log; a retry of the same departure finishes what an interrupted one left. Documents they
 * already signed stay valid: signed before the revocation.
 */
export async function recordDeparture(
  ports: AdministrationPorts,
  caller: Caller,
  personId: string,
  successorId: string,
): Promise<DepartureOutcome> {
  const admin = requireAdministrator(caller.actor);
  return departPerson(ports, {
    by: admin,
    directory: caller.directory,
    mayAdminister: (orgId) => assertAdministers(caller, orgId),
    personId,
    successorId,
  });
}

/**
 * The departure itself, for an administrator through the API or an operator's directory load
 * (ops/directory/load.ts), who acts as `by` on every organisation.
 */
export async function departPerson(
  ports: AdministrationPorts,
  args: {
    readonly by: Actor;
    readonly directory: Directory;
    readonly mayAdminister: (orgId: string) => void;
    readonly personId: string;
    readonly successorId: string;
  },
): Promise<DepartureOutcome> {
  const { by: admin, personId, successorId } = args;
  if (admin.id === personId) throw peopleForbidden('reason_own_departure');
  const now = ports.now();
  const person = await ports.directory.findPerson(personId);
  if (person) {
    args.mayAdminister(person.position.orgId);
    const successor = await ports.directory.findPerson(successorId);
    const orgName = args.directory.get(person.position.orgId).name;
    if (!successor || successor.id === person.id || successor.position.orgId !== person.position.orgId)
      throw peopleError('successor_invalid', 422, { orgName });
    const pending = await pendingOf(ports, personId, person.position.orgId);
    const recorded: Departure = { person, at: now.toISOString(), by: admin.id, successorId };
    await administer(ports, async () => {
      const still = await ports.directory.findPerson(personId);
      if (!still) throw new DepartedMeanwhile();
      return {
        bodies: [
          {
            type: 'person-departed',
            at: recorded.at,
            by: admin.id,
            personId,
            from: still.position,
            to: null,
            successorId,
            handedOver: pending.map((p) => p.documentId),
          },
        ],
        people: [],
        departures: [{ ...recorded, person: still }],
      };
    }).catch((error: unknown) => {
      if (!(error instanceof DepartedMeanwhile)) throw error;
    });
  }
  // Recorded now or by an earlier attempt: finish what is left (a retry of the same departure).
  const recorded = await ports.directory.findDeparture(personId);
  if (!recorded) throw personNotFound(personId);
  args.mayAdminister(recorded.person.position.orgId);
  if (recorded.successorId !== successorId)
    throw peopleError('person_departed', 409, { id: personId, at: recorded.at });
  const signIn = await ports.signIn.disable(personId);
  const revokedCertificate = await ports.certificates.revokeOfficial(personId, now, 'affiliationChanged');
  const orgId = recorded.person.position.orgId;
  const handedOver = await pendingOf(ports, personId, orgId);
  for (const item of handedOver) {
    await withRetries(async () => {
      const snapshot = await ports.documents.read(item.documentId);
      const change = handoverChange(item.documentId, snapshot, {
        from: personId,
        to: recorded.successorId,
        orgId,
        by: admin,
        now,
      });
      if (change) await ports.documents.commit(prepareChange(change));
    });
  }
  logger.info('person departed', {
    personId,
    by: admin.id,
    successorId,
    signIn,
    revokedCertificate,
    handedOver: handedOver.length,
  });
  return {
    personId,
    successorId: recorded.successorId,
    at: recorded.at,
    signIn,
    ...(revokedCertificate ? { revokedCertificate } : {}),
    handedOver,
  };
}

class DepartedMeanwhile extends Error {}
