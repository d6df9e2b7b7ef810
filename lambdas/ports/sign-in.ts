import type { Role } from '../core/domain/directory';

/**
 * The sign-in accounts of the identity provider (Cognito deployed, the local identity provider on a laptop),
 * as administration changes them. Implemented in adapters/sign-in-accounts.ts.
 */
export interface SignInAccounts {
  /**
   * Disables the person's sign-in and ends their sessions. What it found: `disabled` (now, or already),
   * `none` when the person has no account (never invited). Safe to repeat.
   */
  disable(personId: string): Promise<'disabled' | 'none'>;
  /**
   * Gives a person added to the directory their sign-in account (an invitation by e-mail, deployed), in
   * their role's group. What it did: `created`, `exists` (the person has one already: a retry), `none`
   * when no e-mail was given where accounts are invited by e-mail. Safe to repeat.
   */
  create(account: NewSignInAccount): Promise<'created' | 'exists' | 'none'>;
}

export interface NewSignInAccount {
  readonly personId: string;
  readonly name: string;
  readonly orgId: string;
  readonly role: Role;
  readonly email?: string;
}
