import type { Caller } from '../../core/domain/caller';
import type { Organisation, OrganisationKind } from '../../core/domain/directory';
import { DomainError } from '../../core/errors';
import { messageText } from '../../core/i18n/messages';
import type { DirectoryRepository } from '../../ports/directory';

/** Organisations and people as the web lists them: who I am, where documents can go, whom to assign. */

const summary = (org: Organisation) => ({
  id: org.id,
  name: org.name,
  shortName: org.shortName,
  kind: org.kind,
  code: org.code,
  issuerCode: org.issuerCode,
  parentId: org.parentId,
});

/** The signed-in person and the position they hold now. */
export function me(caller: Caller) {
  const { delegations: _delegations, ...person } = caller.actor;
  return { ...person, organisation: summary(caller.directory.get(person.position.orgId)) };
}

export function organisations(caller: Caller, kind: OrganisationKind | undefined) {
  const orgs = kind ? caller.directory.ofKind(kind) : caller.directory.organisations;
  return orgs.map(summary);
}

/** People of the caller's organisation (auditors: any organisation's). */
export async function peopleOf(
  ports: { directory: Pick<DirectoryRepository, 'listPeople'> },
  caller: Caller,
  orgId: string | undefined,
) {
  const own = caller.actor.position.orgId;
  const wanted = orgId ?? own;
  if (wanted !== own && caller.actor.position.role !== 'auditor') {
    throw new DomainError('forbidden', 403, {
      reason: messageText('reason_own_organisation_people'),
    });
  }
  caller.directory.get(wanted);
  return (await ports.directory.listPeople())
    .filter((p) => p.position.orgId === wanted)
    .map((p) => ({
      id: p.id,
      name: p.name,
      title: p.position.title,
      role: p.position.role,
      orgId: p.position.orgId,
      rank: p.position.rank,
      unitCode: p.position.unitCode,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}
