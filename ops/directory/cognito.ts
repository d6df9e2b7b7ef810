import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  paginateListUserPools,
  paginateListUsers,
  paginateListUsersInGroup,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod';
import { boundedConfig } from '../../lambdas/adapters/aws-clients';
import { pickUserPool } from './stage';
import { creationAttributes, type PoolUser, ROLE_GROUPS, type UserPoolPort } from './users-plan';

/*
 * The Cognito side of a directory load: a thin adapter from the UserPoolPort to the user pool's admin API.
 * Everything it decides is in users-plan.ts (pure, unit-tested); this file only calls and reads.
 */

/**
 * The fields of Cognito's answers the plan keys on. The SDK types them as optional; Cognito always sends
 * them, and a user without a username or a pool without an id must stop the load rather than be skipped.
 */
const UserSchema = z.object({
  Username: z.string(),
  Attributes: z.array(z.object({ Name: z.string(), Value: z.string().optional() })).optional(),
});
const UserPoolSchema = z.object({ Id: z.string(), Name: z.string().optional() });

const usersOf = (users: UserType[] | undefined) => z.array(UserSchema).parse(users ?? []);

export interface CognitoUserPool extends UserPoolPort {
  readonly userPoolId: string;
  close(): void;
}

/** Opens the stage's user pool (by id, or found by name); fails before anything is written. */
export async function openCognitoUserPool(options: {
  readonly stage: string;
  readonly userPoolId?: string;
  readonly region?: string;
}): Promise<CognitoUserPool> {
  // Admin calls have low per-second quotas; the SDK backs off and retries when throttled.
  const client = new CognitoIdentityProviderClient({
    ...(options.region ? { region: options.region } : {}),
    // Bounded like every docflow client (lambdas/adapters/aws-clients.ts): a silent endpoint fails the load.
    ...boundedConfig({
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 10_000,
      socketTimeoutMs: 10_000,
      maxAttempts: 8,
    }),
  });

  let UserPoolId: string;
  try {
    UserPoolId = options.userPoolId ?? (await findUserPool(client, options.stage));
  } catch (error) {
    client.destroy();
    throw error;
  }

  return {
    userPoolId: UserPoolId,
    close: () => client.destroy(),

    async listUsers(): Promise<PoolUser[]> {
      const users = new Map<string, { attributes: Record<string, string>; groups: string[] }>();
      for await (const page of paginateListUsers({ client }, { UserPoolId, Limit: 60 })) {
        for (const user of usersOf(page.Users)) {
          const attributes = Object.fromEntries(
            (user.Attributes ?? []).flatMap((a) => (a.Value === undefined ? [] : [[a.Name, a.Value]])),
          );
          users.set(user.Username, { attributes, groups: [] });
        }
      }
      // ListUsers does not say which groups a user is in; one listing per role group does.
      for (const GroupName of ROLE_GROUPS) {
        for await (const page of paginateListUsersInGroup({ client }, { UserPoolId, GroupName, Limit: 60 }))
          for (const user of usersOf(page.Users)) users.get(user.Username)?.groups.push(GroupName);
      }
      return [...users].map(([username, user]) => ({ username, ...user }));
    },

    async createUser(user) {
      // The pool signs in by e-mail, so the e-mail is the username; no TemporaryPassword and no
      // MessageAction: Cognito generates the temporary password and e-mails the invitation.
      const created = await client.send(
        new AdminCreateUserCommand({
          UserPoolId,
          Username: user.email,
          UserAttributes: creationAttributes(user),
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      return UserSchema.parse(created.User).Username;
    },

    async updateAttributes(Username, attributes) {
      const UserAttributes = Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
      await client.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username, UserAttributes }));
    },

    async addToGroup(Username, GroupName) {
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName }));
    },

    async removeFromGroup(Username, GroupName) {
      await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName }));
    },
  };
}

/** The pool named docflow-<stage> in the account and region (stage.ts refuses none or several). */
async function findUserPool(client: CognitoIdentityProviderClient, stage: string): Promise<string> {
  const pools: z.infer<typeof UserPoolSchema>[] = [];
  for await (const page of paginateListUserPools({ client }, { MaxResults: 60 }))
    pools.push(...z.array(UserPoolSchema).parse(page.UserPools ?? []));
  return pickUserPool(pools, stage);
}
