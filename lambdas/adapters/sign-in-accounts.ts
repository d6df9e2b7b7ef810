import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { creationAttributes } from '../../ops/directory/users-plan';
import type { DirectoryRepository } from '../ports/directory';
import type { SignInAccounts } from '../ports/sign-in';
import { boundedConfig } from './aws-clients';
import { cognitoSdk, onFirstUse } from './lazy-sdk';

/*
 * Sign-in accounts. Deployed, Cognito's admin API on the stage's user pool (DOCFLOW_USER_POOL_ID): the user
 * carrying the person's id in `custom:personId` (ops/directory/users-plan.ts) is disabled and signed out
 * everywhere (their refresh tokens revoked). On a laptop the local identity provider signs in exactly the
 * people of the directory (local/seed.ts demoUsers): a person who left is no longer among them, a person
 * added is among them. Deployed, a person added gets an invitation as `npm run directory:load` gives one.
 */

const PERSON_ID = 'custom:personId';

/** The client, its package loaded when a sign-in account is first touched (lazy-sdk.ts). */
const cognito = onFirstUse(
  async (): Promise<CognitoIdentityProviderClient> =>
    new (await cognitoSdk()).CognitoIdentityProviderClient(
      boundedConfig({
        connectionTimeoutMs: 1_000,
        requestTimeoutMs: 4_000,
        socketTimeoutMs: 4_000,
        maxAttempts: 3,
      }),
    ),
);

/** The pool user whose custom:personId is the person's (ListUsers cannot filter on custom attributes). */
async function usernameOf(userPoolId: string, personId: string): Promise<string | undefined> {
  const { paginateListUsers } = await cognitoSdk();
  for await (const page of paginateListUsers(
    { client: await cognito() },
    { UserPoolId: userPoolId, Limit: 60, AttributesToGet: [PERSON_ID] },
  )) {
    for (const user of page.Users ?? []) {
      if (user.Attributes?.some((a) => a.Name === PERSON_ID && a.Value === personId)) return user.Username;
    }
  }
  return undefined;
}

export function cognitoSignInAccounts(userPoolId: string): SignInAccounts {
  return {
    async disable(personId) {
      const username = await usernameOf(userPoolId, personId);
      if (!username) return 'none';
      const [client, { AdminDisableUserCommand, AdminUserGlobalSignOutCommand }] = await Promise.all([
        cognito(),
        cognitoSdk(),
      ]);
      await client.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }));
      await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }));
      return 'disabled';
    },
    async create(account) {
      if (await usernameOf(userPoolId, account.personId)) return 'exists';
      if (!account.email) return 'none';
      const email = account.email.toLowerCase();
      const [client, { AdminCreateUserCommand, AdminAddUserToGroupCommand }] = await Promise.all([
        cognito(),
        cognitoSdk(),
      ]);
      // As `npm run directory:load` creates them (ops/directory/cognito.ts): the e-mail is the username,
      // Cognito makes the temporary password and e-mails the invitation; the role's group gives the role.
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: email,
          UserAttributes: creationAttributes({ ...account, email }),
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      await client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: account.role }),
      );
      return 'created';
    },
  };
}

/** The local identity provider's accounts are the directory's people: a person gone from it cannot sign in. */
export function directorySignInAccounts(directory: Pick<DirectoryRepository, 'findPerson'>): SignInAccounts {
  return {
    async disable(personId) {
      if (await directory.findPerson(personId))
        throw new Error(`${personId} is still in the directory: their sign-in cannot be disabled yet`);
      return 'disabled';
    },
    // Locally the directory is the list of accounts: a person in it signs in.
    async create(account) {
      if (!(await directory.findPerson(account.personId)))
        throw new Error(`${account.personId} is not in the directory: no account to give`);
      return 'created';
    },
  };
}

/** Cognito when the stage has a user pool, the directory-backed local identity provider otherwise. */
export function signInAccounts(directory: Pick<DirectoryRepository, 'findPerson'>): SignInAccounts {
  const pool = process.env.DOCFLOW_USER_POOL_ID;
  return pool ? cognitoSignInAccounts(pool) : directorySignInAccounts(directory);
}
