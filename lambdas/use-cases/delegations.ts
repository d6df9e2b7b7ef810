import { randomUUID } from 'node:crypto';
import { chainEntries } from '../core/domain/administration';
import type { Caller } from '../core/domain/caller';
import type { Delegation } from '../core/domain/capacity';
import {
  assertMayListDelegations,
  type DelegationStatus,
  delegationStatus,
  type GrantDelegation,
  grantDelegation,
  revokeDelegation,
} from '../core/domain/delegations';
import { delegationError } from '../core/i18n/delegations';
import { logger } from '../observability/logger';
import type { DirectoryRepository } from '../ports/directory';
import { withRetries } from './context';

/*
 * TL./TUQ. delegations (core/domain/delegations.ts): recorded and revoked by the organisation's head or an
 * administrator, each change an entry of the administration log written with it; read back on every request
 * of a leader (http/api.ts), so a revocation holds from the next signature on.
 */

export interface DelegationPorts {
  readonly directory: Pick<
    DirectoryRepository,
    | 'findPerson'
    | 'listPeople'
    | 'readAdministrationHead'
    | 'commitAdministration'
    | 'listDelegations'
    | 'findDelegation'
  >;
  readonly now: () => Date;
}

export interface DelegationView extends Delegation {
  readonly status: DelegationStatus;
  readonly orgName: string;
  readonly delegateName: string;
  readonly delegateTitle: string;
  readonly grantedByName: string;
}

function viewOf(caller: Caller, people: ReadonlyMap<string, { name: string; title: string }>, now: Date) {
  return (d: Delegation): DelegationView => ({
    ...d,
    status: delegationStatus(d, now),
    orgName: caller.directory.find(d.orgId)?.name ?? d.orgId,
    delegateName: people.get(d.delegateId)?.name ?? d.delegateId,
    delegateTitle: people.get(d.delegateId)?.title ?? '',
    grantedByName: people.get(d.grantedBy)?.name ?? d.grantedBy,
  });
}

async function peopleIndex(ports: DelegationPorts) {
  const people = await ports.directory.listPeople();
  return new Map(people.map((p) => [p.id, { name: p.name, title: p.position.title }]));
}

/** Records a delegation (the head of the organisation, or an administrator), with its log entry. */
export async function createDelegation(
  ports: DelegationPorts,
  caller: Caller,
  command: GrantDelegation,
): Promise<DelegationView> {
  const id = randomUUID();
  const now = ports.now();
  let granted: Delegation | undefined;
  await withRetries(async () => {
    const delegate = await ports.directory.findPerson(command.delegateId);
    const delegation = grantDelegation(caller.actor, caller.directory, delegate, command, id, now);
    const head = await ports.directory.readAdministrationHead();
    await ports.directory.commitAdministration({
      head,
      entries: chainEntries(head, [
        { type: 'delegation-granted', at: now.toISOString(), by: caller.actor.id, delegation },
      ]),
      people: [],
      delegation: { after: delegation },
    });
    granted = delegation;
  });
  if (!granted) throw new Error('unreachable: the grant was committed');
  logger.info('delegation granted', { id, kind: granted.kind, orgId: granted.orgId, by: caller.actor.id });
  return viewOf(caller, await peopleIndex(ports), now)(granted);
}

/** The organisation's delegations, newest first (its head, administrators, auditors). */
export async function delegationsOf(
  ports: DelegationPorts,
  caller: Caller,
  orgId: string | undefined,
): Promise<DelegationView[]> {
  const org = orgId ?? caller.actor.position.orgId;
  // An unknown organisation is a 404 before any rights are judged (Directory.get).
  caller.directory.get(org);
  assertMayListDelegations(caller.actor, caller.directory, org);
  const [list, people] = await Promise.all([
    ports.directory.listDelegations({ orgId: org }),
    peopleIndex(ports),
  ]);
  const now = ports.now();
  return list
    .sort((a, b) => (b.grantedAt ?? b.validFrom).localeCompare(a.grantedAt ?? a.validFrom))
    .map(viewOf(caller, people, now));
}

/** Revokes a delegation from now on, with its log entry; signatures made under it before stay as they are. */
export async function revokeDelegationById(
  ports: DelegationPorts,
  caller: Caller,
  id: string,
): Promise<DelegationView> {
  const now = ports.now();
  let revoked: Delegation | undefined;
  await withRetries(async () => {
    const before = await ports.directory.findDelegation(id);
    if (!before) throw delegationError('delegation_not_found', 404, { id });
    const after = revokeDelegation(caller.actor, caller.directory, before, now);
    const head = await ports.directory.readAdministrationHead();
    await ports.directory.commitAdministration({
      head,
      entries: chainEntries(head, [
        { type: 'delegation-revoked', at: now.toISOString(), by: caller.actor.id, delegation: after },
      ]),
      people: [],
      delegation: { before, after },
    });
    revoked = after;
  });
  if (!revoked) throw new Error('unreachable: the revocation was committed');
  logger.info('delegation revoked', { id, by: caller.actor.id });
  return viewOf(caller, await peopleIndex(ports), now)(revoked);
}
