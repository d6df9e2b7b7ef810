import { createHash, randomBytes } from 'node:crypto';
import { type Caller, type ContextValues, MalformedPolicy, type Policy, parsePolicy } from './policy';

/*
 * The laptop's IAM: roles with their trust and permission policies, OIDC providers, an operator user, and
 * every set of credentials in use (each function's, STS sessions'), so that the KMS emulator and STS can
 * tell who signed a request and what their policies allow. Held in memory: roles and providers come from
 * the CDK template at each start, credentials live as long as the process.
 */

export const LOCAL_ACCOUNT = '000000000000';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export interface Role {
  readonly name: string;
  readonly arn: string;
  /** AROA…: what `aws:userid` of its sessions starts with. */
  readonly roleId: string;
  readonly trustPolicy: Policy;
  /** Its permission policies, by name (inline and attached alike). */
  readonly policies: Map<string, Policy>;
  readonly maxSessionDurationSeconds: number;
  readonly description?: string;
}

export interface OidcProvider {
  /** The issuer without its scheme: `host[:port]/path`, as IAM keys providers and condition keys. */
  readonly url: string;
  readonly arn: string;
  readonly clientIds: readonly string[];
}

/** One set of credentials and who they are. */
export interface Identity {
  readonly kind: 'user' | 'assumed-role';
  readonly credentials: Credentials;
  readonly arn: string;
  /** `aws:userid`: AIDA… for a user, `AROA…:<session>` for a role session. */
  readonly principalId: string;
  readonly accountId: string;
  readonly userName?: string;
  readonly role?: Role;
  readonly sessionName?: string;
  /** Session tags (principal tags), e.g. `docflow:holder`. */
  readonly tags: Readonly<Record<string, string>>;
  readonly issuedAt: Date;
  readonly webIdentity?: { readonly provider: string; readonly subject: string };
  /** A user's own policies; a role session's are its role's, read at each request. */
  readonly userPolicies?: readonly Policy[];
}

export const identityPolicies = (identity: Identity): Policy[] =>
  identity.role ? [...identity.role.policies.values()] : [...(identity.userPolicies ?? [])];

export const callerOf = (identity: Identity): Caller => ({
  arn: identity.arn,
  accountId: identity.accountId,
  ...(identity.role ? { roleArn: identity.role.arn } : {}),
});

/** The global condition keys every request of this identity carries. */
export function principalContext(identity: Identity, now: Date): Record<string, string | readonly string[]> {
  const context: Record<string, string> = {
    'aws:PrincipalArn': identity.role?.arn ?? identity.arn,
    'aws:PrincipalAccount': identity.accountId,
    'aws:PrincipalType': identity.kind === 'user' ? 'User' : 'AssumedRole',
    'aws:PrincipalIsAWSService': 'false',
    'aws:userid': identity.principalId,
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:SecureTransport': 'false',
    'aws:ViaAWSService': 'false',
    'aws:SourceIp': '127.0.0.1',
  };
  if (identity.userName) context['aws:username'] = identity.userName;
  if (identity.kind === 'assumed-role')
    context['aws:TokenIssueTime'] = identity.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (identity.webIdentity) context['aws:FederatedProvider'] = identity.webIdentity.provider;
  for (const [key, value] of Object.entries(identity.tags)) context[`aws:PrincipalTag/${key}`] = value;
  return context;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const keyId = (prefix: 'AKIA' | 'ASIA') =>
  `${prefix}${[...randomBytes(16)].map((b) => BASE32[b % 32]).join('')}`;
const stableId = (prefix: string, seed: string) =>
  `${prefix}${[...createHash('sha256').update(seed).digest()]
    .slice(0, 17)
    .map((b) => BASE32[b % 32])
    .join('')}`;

/** IAM's limit on session names, which STS checks before anything else. */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export class IamStore {
  private readonly roles = new Map<string, Role>();
  private readonly providers = new Map<string, OidcProvider>();
  private readonly identities = new Map<string, Identity>();
  private readonly listeners: ((identity: Identity) => void)[] = [];

  constructor(
    readonly accountId: string = LOCAL_ACCOUNT,
    readonly region: string = 'us-east-1',
    readonly now: () => Date = () => new Date(),
  ) {}

  roleArn(name: string): string {
    return `arn:aws:iam::${this.accountId}:role/${name}`;
  }

  /** Creates or replaces a role (its trust policy); its permission policies are kept when it exists. */
  putRole(input: {
    name: string;
    trustPolicy: unknown;
    maxSessionDurationSeconds?: number;
    description?: string;
  }): Role {
    const existing = this.roles.get(input.name);
    const role: Role = {
      name: input.name,
      arn: this.roleArn(input.name),
      roleId: existing?.roleId ?? stableId('AROA', `${this.accountId}/${input.name}`),
      trustPolicy: parsePolicy(input.trustPolicy, 'trust'),
      policies: existing?.policies ?? new Map(),
      maxSessionDurationSeconds: input.maxSessionDurationSeconds ?? 3600,
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    this.roles.set(role.name, role);
    // Sessions keep pointing at the role object they were issued for: give them the new one.
    for (const [id, identity] of this.identities) {
      if (identity.role?.name === role.name) this.identities.set(id, { ...identity, role });
    }
    return role;
  }

  role(name: string): Role | undefined {
    return this.roles.get(name);
  }

  roleByArn(arn: string): Role | undefined {
    const name = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
    return name?.[1] === this.accountId && name[2] ? this.roles.get(name[2]) : undefined;
  }

  listRoles(): Role[] {
    return [...this.roles.values()];
  }

  deleteRole(name: string): boolean {
    return this.roles.delete(name);
  }

  putRolePolicy(roleName: string, policyName: string, document: unknown): void {
    const role = this.roles.get(roleName);
    if (!role) throw new Error(`no role ${roleName}`);
    role.policies.set(policyName, parsePolicy(document, 'identity'));
  }

  deleteRolePolicy(roleName: string, policyName: string): boolean {
    return this.roles.get(roleName)?.policies.delete(policyName) ?? false;
  }

  /** Registers an OIDC provider; `url` may carry its scheme (`http://` is allowed on a laptop). */
  putOidcProvider(url: string, clientIds: readonly string[]): OidcProvider {
    const bare = url.replace(/^https?:\/\//, '').replace(/\/$/, '');
    const provider = {
      url: bare,
      arn: `arn:aws:iam::${this.accountId}:oidc-provider/${bare}`,
      clientIds: [...clientIds],
    };
    this.providers.set(bare, provider);
    return provider;
  }

  /** The provider a token's `iss` names, if registered. */
  oidcProvider(issuer: string): OidcProvider | undefined {
    return this.providers.get(issuer.replace(/^https?:\/\//, '').replace(/\/$/, ''));
  }

  oidcProviderByArn(arn: string): OidcProvider | undefined {
    return [...this.providers.values()].find((provider) => provider.arn === arn);
  }

  listOidcProviders(): OidcProvider[] {
    return [...this.providers.values()];
  }

  deleteOidcProvider(arn: string): boolean {
    const provider = this.oidcProviderByArn(arn);
    return provider ? this.providers.delete(provider.url) : false;
  }

  /** A user with long-term credentials (AKIA…) and its own policies: the operator's identity. */
  createUser(name: string, policies: readonly unknown[]): Identity {
    const parsed = policies.map((policy) => parsePolicy(policy, 'identity'));
    const identity: Identity = {
      kind: 'user',
      credentials: { accessKeyId: keyId('AKIA'), secretAccessKey: randomBytes(30).toString('base64') },
      arn: `arn:aws:iam::${this.accountId}:user/${name}`,
      principalId: stableId('AIDA', `${this.accountId}/${name}`),
      accountId: this.accountId,
      userName: name,
      tags: {},
      issuedAt: this.now(),
      userPolicies: parsed,
    };
    this.add(identity);
    return identity;
  }

  /**
   * Temporary credentials (ASIA…, with a session token) of a role session. Without `durationSeconds` they
   * do not expire: a local function's own credentials, which Lambda would renew behind its back.
   */
  startSession(
    role: Role,
    sessionName: string,
    options: {
      durationSeconds?: number;
      tags?: Readonly<Record<string, string>>;
      webIdentity?: Identity['webIdentity'];
    } = {},
  ): Identity {
    if (!SESSION_NAME.test(sessionName)) throw new MalformedPolicy(`invalid session name ${sessionName}`);
    const issuedAt = this.now();
    const expiration =
      options.durationSeconds === undefined
        ? undefined
        : new Date(issuedAt.getTime() + options.durationSeconds * 1000);
    const identity: Identity = {
      kind: 'assumed-role',
      credentials: {
        accessKeyId: keyId('ASIA'),
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(120).toString('base64'),
        ...(expiration ? { expiration } : {}),
      },
      arn: `arn:aws:sts::${this.accountId}:assumed-role/${role.name}/${sessionName}`,
      principalId: `${role.roleId}:${sessionName}`,
      accountId: this.accountId,
      role,
      sessionName,
      tags: { ...(options.tags ?? {}) },
      issuedAt,
      ...(options.webIdentity ? { webIdentity: options.webIdentity } : {}),
    };
    this.add(identity);
    this.forgetExpired();
    return identity;
  }

  /** Who these credentials belong to, expired or not (the caller tells those apart). */
  identity(accessKeyId: string): Identity | undefined {
    return this.identities.get(accessKeyId);
  }

  isExpired(identity: Identity): boolean {
    const expiration = identity.credentials.expiration;
    return expiration !== undefined && expiration.getTime() <= this.now().getTime();
  }

  /** Called for every new set of credentials (s3rver must know each access key to accept it). */
  onCredentials(listener: (identity: Identity) => void): void {
    this.listeners.push(listener);
    for (const identity of this.identities.values()) listener(identity);
  }

  private add(identity: Identity): void {
    this.identities.set(identity.credentials.accessKeyId, identity);
    for (const listener of this.listeners) listener(identity);
  }

  /** Sessions an hour past their expiry are forgotten (until then they are answered "expired"). */
  private forgetExpired(): void {
    const horizon = this.now().getTime() - 3600_000;
    for (const [id, identity] of this.identities) {
      const expiration = identity.credentials.expiration;
      if (expiration && expiration.getTime() < horizon) this.identities.delete(id);
    }
  }
}

/** What the operator (seed, provisioning, tests) may do: everything, as an account administrator. */
export const ADMINISTRATOR_ACCESS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
} as const;

export type { ContextValues };
