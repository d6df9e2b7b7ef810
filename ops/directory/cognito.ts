import * as z from 'zod';
import { pickUserPool } from './stage';
import { creationAttributes, type PoolUser, ROLE_GROUPS, type UserPoolPort } from './users-plan';

/*
 * The Cognito side of a directory load: a thin adapter from the UserPoolPort to the user pool's admin API.
 * Everything it decides is in users-plan.ts (pure, unit-tested); this file only calls and reads.
 *
 * The SDK client (@aws-sdk/client-cognito-identity-provider) is not among the project's dependencies yet,
 * so it is imported by name at run time and its answers are checked with zod. Once it is a dependency,
 * these structural types can give way to the SDK's own.
 */

const SDK_PACKAGE = '@aws-sdk/client-cognito-identity-provider';

export class MissingCognitoSdk extends Error {
  constructor() {
    super(
      `${SDK_PACKAGE} is not installed, so Cognito users cannot be created or updated. ` +
        'Add it to the dependencies, or run with --skip-users to load the directory table only.',
    );
  }
}

type Command = new (input: Record<string, unknown>) => object;
interface Client {
  send(command: object): Promise<unknown>;
  destroy(): void;
}

const COMMANDS = [
  'ListUserPoolsCommand',
  'ListUsersCommand',
  'ListUsersInGroupCommand',
  'AdminCreateUserCommand',
  'AdminUpdateUserAttributesCommand',
  'AdminAddUserToGroupCommand',
  'AdminRemoveUserFromGroupCommand',
] as const;

type Sdk = { CognitoIdentityProviderClient: new (config: Record<string, unknown>) => Client } & Record<
  (typeof COMMANDS)[number],
  Command
>;

const isConstructor = (value: unknown) => typeof value === 'function';
const SdkSchema = z.custom<Sdk>(
  (module) =>
    typeof module === 'object' &&
    module !== null &&
    ['CognitoIdentityProviderClient', ...COMMANDS].every((name) =>
      isConstructor((module as Record<string, unknown>)[name]),
    ),
  `${SDK_PACKAGE} does not export the expected client and commands`,
);

async function loadSdk(): Promise<Sdk> {
  // A specifier in a variable: the type checker does not look for a package that is not installed.
  const specifier: string = SDK_PACKAGE;
  let module: unknown;
  try {
    module = await import(specifier);
  } catch {
    throw new MissingCognitoSdk();
  }
  return SdkSchema.parse(module);
}

const AttributeSchema = z.object({ Name: z.string(), Value: z.string().optional() });
const UserSchema = z.object({
  Username: z.string(),
  Attributes: z.array(AttributeSchema).optional(),
});
const ListUsersSchema = z.object({
  Users: z.array(UserSchema).optional(),
  PaginationToken: z.string().optional(),
});
const ListUsersInGroupSchema = z.object({
  Users: z.array(UserSchema).optional(),
  NextToken: z.string().optional(),
});
const CreatedSchema = z.object({ User: UserSchema });
const ListUserPoolsSchema = z.object({
  UserPools: z.array(z.object({ Id: z.string(), Name: z.string().optional() })).optional(),
  NextToken: z.string().optional(),
});

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
  const sdk = await loadSdk();
  // Admin calls have low per-second quotas; the SDK backs off and retries when throttled.
  const client = new sdk.CognitoIdentityProviderClient({
    ...(options.region ? { region: options.region } : {}),
    maxAttempts: 8,
  });
  const send = async <T>(
    command: (typeof COMMANDS)[number],
    input: Record<string, unknown>,
    schema: z.ZodType<T>,
  ) => schema.parse(await client.send(new sdk[command](input)));

  let userPoolId = options.userPoolId;
  if (!userPoolId) {
    const pools: { Id: string; Name?: string }[] = [];
    let NextToken: string | undefined;
    do {
      const page = await send('ListUserPoolsCommand', { MaxResults: 60, NextToken }, ListUserPoolsSchema);
      pools.push(...(page.UserPools ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    userPoolId = pickUserPool(pools, options.stage);
  }
  const UserPoolId = userPoolId;

  return {
    userPoolId: UserPoolId,
    close: () => client.destroy(),

    async listUsers(): Promise<PoolUser[]> {
      const users = new Map<string, { attributes: Record<string, string>; groups: string[] }>();
      let PaginationToken: string | undefined;
      do {
        const page = await send(
          'ListUsersCommand',
          { UserPoolId, Limit: 60, PaginationToken },
          ListUsersSchema,
        );
        for (const user of page.Users ?? []) {
          const attributes = Object.fromEntries(
            (user.Attributes ?? []).flatMap((a) => (a.Value === undefined ? [] : [[a.Name, a.Value]])),
          );
          users.set(user.Username, { attributes, groups: [] });
        }
        PaginationToken = page.PaginationToken;
      } while (PaginationToken);
      // ListUsers does not say which groups a user is in; one listing per role group does.
      for (const GroupName of ROLE_GROUPS) {
        let NextToken: string | undefined;
        do {
          const page = await send(
            'ListUsersInGroupCommand',
            { UserPoolId, GroupName, Limit: 60, NextToken },
            ListUsersInGroupSchema,
          );
          for (const user of page.Users ?? []) users.get(user.Username)?.groups.push(GroupName);
          NextToken = page.NextToken;
        } while (NextToken);
      }
      return [...users].map(([username, user]) => ({ username, ...user }));
    },

    async createUser(user) {
      // The pool signs in by e-mail, so the e-mail is the username; no TemporaryPassword and no
      // MessageAction: Cognito generates the temporary password and e-mails the invitation.
      const created = await send(
        'AdminCreateUserCommand',
        {
          UserPoolId,
          Username: user.email,
          UserAttributes: creationAttributes(user),
          DesiredDeliveryMediums: ['EMAIL'],
        },
        CreatedSchema,
      );
      return created.User.Username;
    },

    async updateAttributes(Username, attributes) {
      const UserAttributes = Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
      await send('AdminUpdateUserAttributesCommand', { UserPoolId, Username, UserAttributes }, z.unknown());
    },

    async addToGroup(Username, GroupName) {
      await send('AdminAddUserToGroupCommand', { UserPoolId, Username, GroupName }, z.unknown());
    },

    async removeFromGroup(Username, GroupName) {
      await send('AdminRemoveUserFromGroupCommand', { UserPoolId, Username, GroupName }, z.unknown());
    },
  };
}
