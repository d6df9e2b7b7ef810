import { AMENDABLE_STATES, type AmendmentKind, type Amends } from '../core/domain/amendments';
import type { Caller } from '../core/domain/caller';
import type { Person, Role } from '../core/domain/directory';
import type { OutgoingState } from '../core/domain/outgoing';
import { DomainError } from '../core/errors';
import { type MessageCode, type MessageParams, messageText } from '../core/i18n/messages';
import type { DirectoryRepository } from '../ports/directory';
import type { DocumentRepository } from '../ports/documents';

/*
 * Ids in request bodies, checked against the directory and the documents the caller may name before
 * anything is decided or written. A refusal is a 422 naming the field, and the same whether the id does
 * not exist or belongs to someone the caller may not name (another organisation's person or document), so
 * that a refusal tells nothing about what exists elsewhere.
 */

const refused = (code: MessageCode, params: MessageParams) =>
  new DomainError('validation_failed', 422, { detail: messageText(code, params) });

const orgName = (caller: Caller, orgId: string) => caller.directory.find(orgId)?.name ?? orgId;

/** A leader of the organisation itself or of one of its units (who may be presented or submitted to). */
export async function assertLeaderOf(
  ports: { readonly directory: Pick<DirectoryRepository, 'findPerson'> },
  caller: Caller,
  orgId: string,
  personId: string,
  field: string,
): Promise<Person> {
  const person = await ports.directory.findPerson(personId);
  if (!person || person.position.orgId !== orgId || person.position.role !== 'leader')
    throw refused('invalid_ref_leader', { field, id: personId, orgName: orgName(caller, orgId) });
  return person;
}

/**
 * The leader a document is submitted to for signature: a leader of the organisation, or one holding a TL./TUQ.
 * delegation of it in force now (the Chief of Office signing "TL. CHỦ TỊCH" is in the office, not the committee).
 */
export async function assertSignerOf(
  ports: { readonly directory: Pick<DirectoryRepository, 'findPerson' | 'listDelegations'> },
  caller: Caller,
  orgId: string,
  personId: string,
  field: string,
  at: Date,
): Promise<Person> {
  const person = await ports.directory.findPerson(personId);
  if (person?.position.role === 'leader' && person.position.orgId !== orgId) {
    const t = at.toISOString();
    const delegations = await ports.directory.listDelegations({ delegateId: person.id });
    const inForce = delegations.some(
      (d) => d.orgId === orgId && !d.revokedAt && d.validFrom <= t && (!d.validUntil || t < d.validUntil),
    );
    if (inForce) return person;
  }
  return assertLeaderOf(ports, caller, orgId, personId, field);
}

/** Who a document may be given to in an organisation: the roles that handle (lead) or read (support, info). */
const HANDLERS: readonly Role[] = ['leader', 'specialist'];
const PARTICIPANTS: readonly Role[] = ['leader', 'specialist', 'clerk'];

/**
 * Assignees of an incoming document (`lead`, `support[0]`, `handler`…): a person of the organisation in
 * a role that handles documents, or `unit:<code>` for an internal unit someone of the organisation belongs
 * to. `handles`: the lead and the handler must be able to start and resolve it (leaders, specialists).
 */
export async function assertAssignees(
  ports: { readonly directory: Pick<DirectoryRepository, 'listPeople'> },
  caller: Caller,
  refs: readonly { readonly field: string; readonly ref: string; readonly handles: boolean }[],
): Promise<void> {
  if (refs.length === 0) return;
  const orgId = caller.actor.position.orgId;
  const members = (await ports.directory.listPeople()).filter((p) => p.position.orgId === orgId);
  for (const { field, ref, handles } of refs) {
    const roles = handles ? HANDLERS : PARTICIPANTS;
    const known = ref.startsWith('unit:')
      ? members.some((p) => p.position.unitCode === ref.slice(5) && roles.includes(p.position.role))
      : members.some((p) => p.id === ref && roles.includes(p.position.role));
    if (!known)
      throw refused(handles ? 'invalid_ref_handler' : 'invalid_ref_member', {
        field,
        ref,
        orgName: orgName(caller, orgId),
      });
  }
}

const ISSUED: readonly OutgoingState[] = ['ISSUED', 'SENT', 'ARCHIVED'];

/**
 * A document the caller's organisation has issued (a replacement, a reply): refused alike when it does not
 * exist, is another organisation's or was never issued.
 */
export async function assertIssuedByCaller(
  ports: { readonly documents: Pick<DocumentRepository, 'read'> },
  caller: Caller,
  documentId: string,
  field: string,
): Promise<void> {
  const orgId = caller.actor.position.orgId;
  const { document } = await ports.documents.read(documentId);
  if (!document || document.orgId !== orgId || !ISSUED.includes(document.state))
    throw refused('invalid_ref_issued_document', { field, id: documentId, orgName: orgName(caller, orgId) });
}

/**
 * The issued document a draft replaces or corrects (core/domain/amendments.ts), with its number and symbol:
 * the caller's organisation's, issued and still in force (not recalled, not replaced). Refused alike when it
 * does not exist, is another organisation's, was never issued or is no longer in force.
 */
export async function amendedByCaller(
  ports: { readonly documents: Pick<DocumentRepository, 'read'> },
  caller: Caller,
  kind: AmendmentKind,
  documentId: string,
  field: string,
): Promise<Amends> {
  const orgId = caller.actor.position.orgId;
  const { document } = await ports.documents.read(documentId);
  if (
    !document ||
    document.orgId !== orgId ||
    !(AMENDABLE_STATES as readonly string[]).includes(document.state) ||
    !document.symbol
  )
    throw refused('invalid_ref_amended_document', { field, id: documentId, orgName: orgName(caller, orgId) });
  return { kind, documentId, symbol: document.symbol };
}
