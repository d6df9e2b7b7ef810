import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { revokeOfficial } from '../../lambdas/adapters/city-pki';
import {
  listPeople,
  listStoredOrganisations,
  savePeople,
  saveStoredOrganisations,
} from '../../lambdas/adapters/directory-store';
import { type Directory, parseDirectory } from '../../lambdas/core/domain/directory';
import {
  type DirectoryInput,
  type DirectoryPlan,
  movesPosition,
  planDirectory,
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
  const [organisations, people] = await Promise.all([
    listStoredOrganisations(),
    listPeople({ consistent: true }),
  ]);
  return { organisations, people };
}

export async function planDirectoryLoad(input: DirectoryInput): Promise<DirectoryPlan> {
  return planDirectory(input, await readStoredDirectory());
}

export interface AppliedDirectoryPlan {
  /** Certificates revoked because their holder's position changed (person id and serial). */
  readonly revokedCertificates: readonly { readonly personId: string; readonly serial: string }[];
}

/**
 * Writes a plan: organisations first (people refer to them), then people, then revokes the certificates
 * of people whose position changed. Unchanged items are not written.
 */
export async function applyDirectoryPlan(
  plan: DirectoryPlan,
  now = new Date(),
): Promise<AppliedDirectoryPlan> {
  const organisations = plan.organisations.flatMap((s) => (s.kind === 'unchanged' ? [] : [s.value]));
  if (organisations.length) await saveStoredOrganisations(organisations);
  const people = plan.people.flatMap((s) => (s.kind === 'unchanged' ? [] : [s.value]));
  if (people.length) await savePeople(people);
  const revokedCertificates: { personId: string; serial: string }[] = [];
  for (const step of plan.people) {
    if (!movesPosition(step)) continue;
    const serial = await revokeOfficial(step.id, now, 'affiliationChanged');
    if (serial) revokedCertificates.push({ personId: step.id, serial });
  }
  return { revokedCertificates };
}
