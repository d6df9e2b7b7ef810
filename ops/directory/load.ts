import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cityOfficialCertificates, cityRevocations } from '../../lambdas/adapters/certificate-service';
import { revokeOfficial } from '../../lambdas/adapters/city-pki';
import {
  dynamoDirectory,
  listDepartures,
  listPeople,
  listStoredOrganisations,
  loadDirectory,
  savePersonIf,
  saveStoredOrganisations,
} from '../../lambdas/adapters/directory-store';
import { dynamoDocumentRepository } from '../../lambdas/adapters/document-store';
import { s3SignatureImageFiles } from '../../lambdas/adapters/file-store';
import { directorySignInAccounts } from '../../lambdas/adapters/sign-in-accounts';
import type { Actor } from '../../lambdas/core/domain/actor';
import {
  CITY_ID,
  type Directory,
  type Person,
  PersonSchema,
  parseDirectory,
} from '../../lambdas/core/domain/directory';
import type { SignInAccounts } from '../../lambdas/ports/sign-in';
import { type DepartureOutcome, departPerson } from '../../lambdas/use-cases/administration';
import {
  type DirectoryInput,
  type DirectoryPlan,
  movesPosition,
  planDirectory,
  type Step,
  type StoredDirectory,
} from './plan';

/*
 * Loads organisations and people into the directory table of whichever stage the environment names
 * (DOCFLOW_DIRECTORY_TABLE and the SDK's endpoint variables, as for the Lambdas): the laptop seed and the
 * operators' `npm run directory:load` both come through here. It reads what is stored, plans, and writes
 * only what differs, so a second run writes nothing.
 */

export const DATA_DIR = resolve(import.meta.dirname, '..', '..', 'data');

/** The Hà Nội directory from data/ (the city, its agencies, its wards and communes). */
export async function readDirectoryData(dataDir = DATA_DIR): Promise<Directory> {
  const [units, departments] = await Promise.all([
    readFile(join(dataDir, 'hanoi-units.csv'), 'utf8'),
    readFile(join(dataDir, 'hanoi-departments.csv'), 'utf8'),
  ]);
  return parseDirectory(units, departments);
}

export async function readStoredDirectory(): Promise<StoredDirectory> {
  const [organisations, people, departures] = await Promise.all([
    listStoredOrganisations(),
    listPeople({ consistent: true }),
    listDepartures(),
  ]);
  return {
    organisations,
    people,
    departed: departures.map((d) => ({ id: d.person.id, successorId: d.successorId })),
  };
}

export async function planDirectoryLoad(input: DirectoryInput): Promise<DirectoryPlan> {
  return planDirectory(input, await readStoredDirectory());
}

export interface AppliedDirectoryPlan {
  /** Certificates revoked because their holder's position changed (person id and serial). */
  readonly revokedCertificates: readonly { readonly personId: string; readonly serial: string }[];
  /** People changed (through the API) since the plan was made: left as they are now, not overwritten. */
  readonly changedMeanwhile: readonly string[];
  readonly departures: readonly DepartureOutcome[];
}

/** Who records a loader's departures in the administration log and the documents' logs. */
const OPERATOR: Actor = {
  id: 'directory-load',
  name: 'npm run directory:load',
  position: { orgId: CITY_ID, role: 'admin', title: 'Quản trị hệ thống' },
};

/**
 * Writes a plan: organisations first (people refer to them), then people, each only if it is still as the
 * plan read it (a change made through the API meanwhile is kept and reported), then revokes the
 * certificates of people whose position changed, then records the departures as an administrator's would
 * be (lambdas/use-cases/administration.ts): pending work to the successor, sign-in disabled, certificate
 * revoked. Unchanged items are not written.
 */
export async function applyDirectoryPlan(
  plan: DirectoryPlan,
  now = new Date(),
  options: { readonly signIn?: SignInAccounts } = {},
): Promise<AppliedDirectoryPlan> {
  if (plan.departureProblems.length) throw new Error(plan.departureProblems.join('; '));
  const organisations = plan.organisations.flatMap((s) => (s.kind === 'unchanged' ? [] : [s.value]));
  if (organisations.length) await saveStoredOrganisations(organisations);
  const changedMeanwhile: string[] = [];
  const written = new Set<string>();
  for (const step of plan.people) {
    if (step.kind === 'unchanged') continue;
    const before = step.kind === 'update' ? plannedBefore(step) : undefined;
    if (await savePersonIf(step.value, before)) written.add(step.id);
    else changedMeanwhile.push(step.id);
  }
  const revokedCertificates: { personId: string; serial: string }[] = [];
  for (const step of plan.people) {
    if (!movesPosition(step) || !written.has(step.id)) continue;
    const serial = await revokeOfficial(step.id, now, 'affiliationChanged');
    if (serial) revokedCertificates.push({ personId: step.id, serial });
  }
  const departures: DepartureOutcome[] = [];
  const toRecord = plan.departures.filter((d) => d.kind === 'depart');
  if (toRecord.length) {
    const directory = await loadDirectory();
    const ports = {
      directory: dynamoDirectory,
      certificates: cityRevocations,
      signatureImages: s3SignatureImageFiles,
      documents: dynamoDocumentRepository,
      signIn: options.signIn ?? directorySignInAccounts(dynamoDirectory),
      officialCertificates: cityOfficialCertificates,
      now: () => now,
    };
    for (const d of toRecord)
      departures.push(
        await departPerson(ports, {
          by: OPERATOR,
          directory,
          mayAdminister: () => undefined,
          personId: d.id,
          successorId: d.successorId,
        }),
      );
  }
  return { revokedCertificates, changedMeanwhile, departures };
}

/**
 * The person as the plan read them: the update's changes undone on its value. The stored person read again
 * now would hide a change made since the plan.
 */
function plannedBefore(step: Step<Person> & { kind: 'update' }): Person | undefined {
  const position: Record<string, unknown> = { ...step.value.position };
  const person: Record<string, unknown> = { ...step.value, position };
  for (const change of step.changes) {
    const [first, second] = change.field.split('.');
    const target = second === undefined ? person : position;
    const key = second ?? first ?? '';
    if (change.from === undefined) delete target[key];
    else target[key] = change.from;
  }
  // Unreadable (never, for a plan made from a stored person): matches nothing, so nothing is overwritten.
  return PersonSchema.safeParse(person).data ?? { ...step.value, name: '' };
}
