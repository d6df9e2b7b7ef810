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
}
