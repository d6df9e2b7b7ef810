import type { StoredOrganisation } from '../../lambdas/adapters/directory-store';
import type { Organisation, Person } from '../../lambdas/core/domain/directory';

/*
 * What loading a directory would change, decided from what is stored and what is wanted, without writing.
 * Pure, so that a dry run, the real run and the tests all see the same plan. Nothing is ever deleted: an
 * organisation or a person missing from the input stays, because documents and the log refer to them.
 */

export interface FieldChange {
  readonly field: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

export type Step<T> =
  | { readonly kind: 'create'; readonly id: string; readonly value: T }
  | {
      readonly kind: 'update';
      readonly id: string;
      readonly value: T;
      readonly changes: readonly FieldChange[];
    }
  | { readonly kind: 'unchanged'; readonly id: string };

/** A departure the CSV records (`left_on`, `successor_id`): to record, or recorded already. */
export type DepartureStep =
  | { readonly kind: 'depart'; readonly id: string; readonly successorId: string; readonly leftOn: string }
  | { readonly kind: 'departed'; readonly id: string; readonly successorId: string };

export interface DirectoryPlan {
  readonly organisations: readonly Step<StoredOrganisation>[];
  readonly people: readonly Step<Person>[];
  readonly departures: readonly DepartureStep[];
  /** Departures that cannot be recorded as written (nothing is written while there are any). */
  readonly departureProblems: readonly string[];
  /** Listed without `left_on` although they left: not added again (an id is never given twice). */
  readonly leftEarlier: readonly string[];
  /** Stored but not in the input: left as they are. */
  readonly untouched: { readonly organisations: readonly string[]; readonly people: readonly string[] };
}

export interface DirectoryInput {
  readonly organisations: readonly Organisation[];
  readonly people: readonly Person[];
  readonly departures?: readonly {
    readonly personId: string;
    readonly successorId: string;
    readonly leftOn: string;
  }[];
}

export interface StoredDirectory {
  readonly organisations: readonly StoredOrganisation[];
  readonly people: readonly Person[];
  /** People who left, by id, with their successor. */
  readonly departed?: readonly { readonly id: string; readonly successorId: string }[];
}

/** Leaf values by dotted path (`position.title`), so a change is reported field by field. */
function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue;
      for (const [path, leaf] of flatten(inner, prefix ? `${prefix}.${key}` : key)) out.set(path, leaf);
    }
  } else if (value !== undefined) {
    out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields
    .filter((field) => a.get(field) !== b.get(field))
    .map((field) => ({ field, from: a.get(field), to: b.get(field) }));
}

function planItems<T>(
  wanted: readonly T[],
  stored: ReadonlyMap<string, T>,
  idOf: (item: T) => string,
): Step<T>[] {
  return wanted.map((value): Step<T> => {
    const id = idOf(value);
    const before = stored.get(id);
    if (before === undefined) return { kind: 'create', id, value };
    const changes = diffFields(before, value);
    return changes.length ? { kind: 'update', id, value, changes } : { kind: 'unchanged', id };
  });
}

export function planDirectory(input: DirectoryInput, stored: StoredDirectory): DirectoryPlan {
  const ids = new Set<string>();
  for (const person of input.people) {
    if (ids.has(person.id)) throw new Error(`person ${person.id} is listed twice`);
    ids.add(person.id);
  }
  // The input's order is the listing order (the city, its agencies, then wards and communes).
  const organisations = input.organisations.map((organisation, order) => ({ organisation, order }));
  const storedOrgs = new Map(stored.organisations.map((e) => [e.organisation.id, e]));
  const storedPeople = new Map(stored.people.map((p) => [p.id, p]));
  const departed = new Map((stored.departed ?? []).map((d) => [d.id, d]));
  const wantedOrgIds = new Set(input.organisations.map((o) => o.id));
  const leaving = new Set((input.departures ?? []).map((d) => d.personId));
  const staying = input.people.filter((p) => !leaving.has(p.id) && !departed.has(p.id));
  const peopleSteps = planItems(staying, storedPeople, (p) => p.id);
  // Who is in the stage once the people are written: the successor must be one of them.
  const after = new Map(stored.people.map((p) => [p.id, p]));
  for (const p of staying) after.set(p.id, p);
  const departures: DepartureStep[] = [];
  const departureProblems: string[] = [];
  for (const d of input.departures ?? []) {
    const done = departed.get(d.personId);
    if (done) {
      if (done.successorId === d.successorId)
        departures.push({ kind: 'departed', id: d.personId, successorId: d.successorId });
      else
        departureProblems.push(
          `${d.personId} already left with ${done.successorId} as successor, not ${d.successorId}`,
        );
      continue;
    }
    const person = storedPeople.get(d.personId);
    const successor = after.get(d.successorId);
    if (!person)
      departureProblems.push(`${d.personId} is not a person of this stage: nobody to record as leaving`);
    else if (!successor || leaving.has(d.successorId))
      departureProblems.push(`${d.personId}: the successor ${d.successorId} is not a person who stays`);
    else if (successor.position.orgId !== person.position.orgId)
      departureProblems.push(
        `${d.personId}: the successor ${d.successorId} is in ${successor.position.orgId}, not ${person.position.orgId}`,
      );
    else departures.push({ kind: 'depart', id: d.personId, successorId: d.successorId, leftOn: d.leftOn });
  }
  return {
    organisations: planItems(organisations, storedOrgs, (e) => e.organisation.id),
    people: peopleSteps,
    departures,
    departureProblems,
    leftEarlier: input.people
      .filter((p) => departed.has(p.id) && !leaving.has(p.id))
      .map((p) => p.id)
      .sort(),
    untouched: {
      organisations: [...storedOrgs.keys()].filter((id) => !wantedOrgIds.has(id)).sort(),
      people: [...storedPeople.keys()].filter((id) => !ids.has(id)).sort(),
    },
  };
}

/**
 * A person's certificate names their organisation and title, so a change of position revokes it, as the
 * administrators' position change does (lambdas/workflow/people.ts); the next signature gets a new one.
 */
export function movesPosition(step: Step<Person>): boolean {
  return step.kind === 'update' && step.changes.some((c) => c.field.startsWith('position.'));
}

export function hasWrites(plan: DirectoryPlan): boolean {
  return (
    [...plan.organisations, ...plan.people].some((step) => step.kind !== 'unchanged') ||
    plan.departures.some((d) => d.kind === 'depart')
  );
}

export interface PlanCounts {
  readonly create: number;
  readonly update: number;
  readonly unchanged: number;
}

export function countSteps(steps: readonly Step<unknown>[]): PlanCounts {
  const count = (kind: Step<unknown>['kind']) => steps.filter((s) => s.kind === kind).length;
  return { create: count('create'), update: count('update'), unchanged: count('unchanged') };
}

const quote = (value: string | undefined) => (value === undefined ? '(none)' : JSON.stringify(value));

export function describeChanges(changes: readonly FieldChange[]): string {
  return changes.map((c) => `${c.field} ${quote(c.from)} → ${quote(c.to)}`).join('; ');
}

function describePerson(person: Person): string {
  const { position } = person;
  const rank = position.rank ? ` ${position.rank}` : '';
  const unit = position.unitCode ? ` unit ${position.unitCode}` : '';
  return `${person.name}, ${position.role}${rank} "${position.title}" in ${position.orgId}${unit}`;
}

/** The plan as an operator reads it: one line per creation or update, unchanged ones counted (or listed). */
export function formatDirectoryPlan(plan: DirectoryPlan, options: { verbose?: boolean } = {}): string[] {
  const lines: string[] = [];
  const section = <T>(label: string, steps: readonly Step<T>[], describe: (step: Step<T>) => string) => {
    const counts = countSteps(steps);
    lines.push(
      `${label}: ${counts.create} to create, ${counts.update} to update, ${counts.unchanged} unchanged`,
    );
    for (const step of steps) {
      if (step.kind !== 'unchanged' || options.verbose) lines.push(`  ${describe(step)}`);
    }
  };
  section('organisations', plan.organisations, (step) => {
    if (step.kind === 'unchanged') return `= ${step.id}`;
    if (step.kind === 'update') return `~ ${step.id}: ${describeChanges(step.changes)}`;
    return `+ ${step.id} (${step.value.organisation.name})`;
  });
  section('people', plan.people, (step) => {
    if (step.kind === 'unchanged') return `= ${step.id}`;
    if (step.kind === 'create') return `+ ${step.id} (${describePerson(step.value)})`;
    const revokes = movesPosition(step) ? ' [position changed: certificate revoked]' : '';
    return `~ ${step.id}: ${describeChanges(step.changes)}${revokes}`;
  });
  const toRecord = plan.departures.filter((d) => d.kind === 'depart');
  if (plan.departures.length || plan.departureProblems.length)
    lines.push(
      `departures: ${toRecord.length} to record, ${plan.departures.length - toRecord.length} already recorded`,
    );
  for (const d of plan.departures) {
    if (d.kind === 'depart')
      lines.push(
        `  - ${d.id} (left on ${d.leftOn}): sign-in disabled, certificate revoked, pending work to ${d.successorId}`,
      );
    else if (options.verbose) lines.push(`  = ${d.id} (left; successor ${d.successorId})`);
  }
  for (const problem of plan.departureProblems) lines.push(`  ! ${problem}`);
  if (plan.leftEarlier.length)
    lines.push(`people who left earlier, not added again: ${plan.leftEarlier.join(', ')}`);
  if (plan.untouched.organisations.length)
    lines.push(
      `organisations stored but not in data/, left as they are: ${plan.untouched.organisations.join(', ')}`,
    );
  if (plan.untouched.people.length)
    lines.push(`people stored but not in the CSV, left as they are: ${plan.untouched.people.length}`);
  return lines;
}
