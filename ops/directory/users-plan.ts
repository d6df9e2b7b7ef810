import { type Role, RoleSchema } from '../../lambdas/core/domain/directory';
import type { PersonRow } from './people-csv';
import { describeChanges, type FieldChange } from './plan';

/*
 * The Cognito users a directory load needs, planned without calling Cognito: what the stage's user pool
 * must hold so that the JWT authorizer and lambdas/http/api.ts know who signs in. api.ts reads the person
 * id from the immutable `custom:personId`; the role travels as the group of the same name and the
 * organisation as `custom:orgId` (lib/constructs/users.ts), as the local identity provider's tokens carry.
 * Passwords are never touched: a new user gets Cognito's invitation, an existing one keeps theirs.
 */

/** The user pool's groups that stand for docflow roles; other groups are not docflow's to change. */
export const ROLE_GROUPS: readonly string[] = RoleSchema.options;

export const ATTRIBUTE = {
  email: 'email',
  emailVerified: 'email_verified',
  name: 'name',
  personId: 'custom:personId',
  orgId: 'custom:orgId',
} as const;

export interface WantedUser {
  readonly personId: string;
  readonly email: string;
  readonly name: string;
  readonly orgId: string;
  readonly role: Role;
}

/** A user as the pool holds it (attributes by name, the groups it is in). */
export interface PoolUser {
  readonly username: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly groups: readonly string[];
}

export type UserStep =
  | { readonly kind: 'create'; readonly personId: string; readonly user: WantedUser }
  | {
      readonly kind: 'update';
      readonly personId: string;
      readonly username: string;
      /** Attributes to set (only those that differ). */
      readonly attributes: Readonly<Record<string, string>>;
      readonly addGroups: readonly string[];
      readonly removeGroups: readonly string[];
      readonly changes: readonly FieldChange[];
    }
  | { readonly kind: 'unchanged'; readonly personId: string; readonly username: string };

export interface UserConflict {
  readonly personId: string;
  readonly message: string;
}

export interface UsersPlan {
  readonly steps: readonly UserStep[];
  /** What the tool must not resolve by itself; any conflict stops the whole load before it writes. */
  readonly conflicts: readonly UserConflict[];
  /** Users of the pool whose person id is not in the input: left as they are (not disabled). */
  readonly untouched: readonly string[];
}

export function wantedUsers(rows: readonly PersonRow[]): WantedUser[] {
  return rows.map(({ person, email }) => ({
    personId: person.id,
    email,
    name: person.name,
    orgId: person.position.orgId,
    role: person.position.role,
  }));
}

/** The attributes AdminCreateUser gets: the e-mail counts as verified, since the city vouches for it. */
export function creationAttributes(user: WantedUser): { Name: string; Value: string }[] {
  return [
    { Name: ATTRIBUTE.email, Value: user.email },
    { Name: ATTRIBUTE.emailVerified, Value: 'true' },
    { Name: ATTRIBUTE.name, Value: user.name },
    { Name: ATTRIBUTE.personId, Value: user.personId },
    { Name: ATTRIBUTE.orgId, Value: user.orgId },
  ];
}

const lower = (value: string | undefined) => value?.toLowerCase();

export function planUsers(wanted: readonly WantedUser[], pool: readonly PoolUser[]): UsersPlan {
  const conflicts: UserConflict[] = [];
  const byPersonId = new Map<string, PoolUser>();
  const byEmail = new Map<string, PoolUser>();
  for (const user of pool) {
    const personId = user.attributes[ATTRIBUTE.personId];
    if (personId !== undefined) {
      const other = byPersonId.get(personId);
      if (other) {
        conflicts.push({
          personId,
          message: `two users of the pool (${other.username}, ${user.username}) carry custom:personId ${personId}`,
        });
      }
      byPersonId.set(personId, user);
    }
    const email = lower(user.attributes[ATTRIBUTE.email]);
    if (email !== undefined) byEmail.set(email, user);
  }

  const steps: UserStep[] = [];
  for (const want of wanted) {
    const existing = byPersonId.get(want.personId);
    const holder = byEmail.get(want.email);
    if (!existing) {
      if (holder) {
        const theirs = holder.attributes[ATTRIBUTE.personId];
        conflicts.push({
          personId: want.personId,
          message:
            `${want.email} already signs in as user ${holder.username} ` +
            (theirs === undefined ? 'without custom:personId' : `with custom:personId ${theirs}`) +
            ', which cannot be changed: give this person another e-mail, or delete that user first',
        });
      } else steps.push({ kind: 'create', personId: want.personId, user: want });
      continue;
    }
    if (holder && holder.username !== existing.username) {
      conflicts.push({
        personId: want.personId,
        message: `${want.email} is already the e-mail of user ${holder.username} (custom:personId ${holder.attributes[ATTRIBUTE.personId] ?? 'none'})`,
      });
      continue;
    }
    const attributes: Record<string, string> = {};
    const changes: FieldChange[] = [];
    const compare = (name: string, value: string, same: (stored: string | undefined) => boolean) => {
      const stored = existing.attributes[name];
      if (same(stored)) return;
      attributes[name] = value;
      changes.push({ field: name, from: stored, to: value });
    };
    compare(ATTRIBUTE.email, want.email, (stored) => lower(stored) === want.email);
    // A new e-mail is vouched for like the first one, or Cognito would make the user verify it.
    if (attributes[ATTRIBUTE.email] !== undefined) attributes[ATTRIBUTE.emailVerified] = 'true';
    compare(ATTRIBUTE.name, want.name, (stored) => stored === want.name);
    compare(ATTRIBUTE.orgId, want.orgId, (stored) => stored === want.orgId);
    const addGroups = existing.groups.includes(want.role) ? [] : [want.role];
    const removeGroups = existing.groups.filter((g) => ROLE_GROUPS.includes(g) && g !== want.role).sort();
    if (addGroups.length || removeGroups.length) {
      changes.push({
        field: 'groups',
        from:
          existing.groups
            .filter((g) => ROLE_GROUPS.includes(g))
            .sort()
            .join(',') || undefined,
        to: want.role,
      });
    }
    steps.push(
      changes.length
        ? {
            kind: 'update',
            personId: want.personId,
            username: existing.username,
            attributes,
            addGroups,
            removeGroups,
            changes,
          }
        : { kind: 'unchanged', personId: want.personId, username: existing.username },
    );
  }

  const wantedIds = new Set(wanted.map((w) => w.personId));
  const untouched = [...byPersonId.keys()].filter((id) => !wantedIds.has(id)).sort();
  return { steps, conflicts, untouched };
}

/** The calls a plan takes, behind a port so that the SDK stays a thin adapter (cognito.ts). */
export interface UserPoolPort {
  listUsers(): Promise<PoolUser[]>;
  /** Creates the user, Cognito sending the invitation with a temporary password; returns the username. */
  createUser(user: WantedUser): Promise<string>;
  updateAttributes(username: string, attributes: Readonly<Record<string, string>>): Promise<void>;
  addToGroup(username: string, group: string): Promise<void>;
  removeFromGroup(username: string, group: string): Promise<void>;
}

export async function applyUsersPlan(plan: UsersPlan, pool: UserPoolPort): Promise<void> {
  if (plan.conflicts.length) throw new Error('a plan with conflicts cannot be applied');
  for (const step of plan.steps) {
    if (step.kind === 'create') {
      const username = await pool.createUser(step.user);
      await pool.addToGroup(username, step.user.role);
    } else if (step.kind === 'update') {
      if (Object.keys(step.attributes).length) await pool.updateAttributes(step.username, step.attributes);
      // Into the new role's group before out of the old one, so the user is never without a role.
      for (const group of step.addGroups) await pool.addToGroup(step.username, group);
      for (const group of step.removeGroups) await pool.removeFromGroup(step.username, group);
    }
  }
}

export function formatUsersPlan(plan: UsersPlan, options: { verbose?: boolean } = {}): string[] {
  const count = (kind: UserStep['kind']) => plan.steps.filter((s) => s.kind === kind).length;
  const lines = [
    `users: ${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged`,
  ];
  for (const step of plan.steps) {
    if (step.kind === 'create')
      lines.push(
        `  + ${step.personId} <${step.user.email}> in group ${step.user.role} (invitation e-mailed)`,
      );
    else if (step.kind === 'update')
      lines.push(`  ~ ${step.personId} (${step.username}): ${describeChanges(step.changes)}`);
    else if (options.verbose) lines.push(`  = ${step.personId} (${step.username})`);
  }
  if (plan.untouched.length)
    lines.push(`users of the pool not in the CSV, left as they are: ${plan.untouched.length}`);
  return lines;
}
