import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { buckets, tables } from '../../lambdas/deployment/resources';
import { functions, internalFunctions } from '../../lambdas/routes';
import { stageConfig } from '../../lib/config';
import { streamConsumers } from '../../lib/stream-consumers';
import type { LocalFunction } from '../functions/host';
import { localBucketName, localTableName, provisionStackKeys } from '../provision';
import { ADMINISTRATOR_ACCESS, type Credentials, IamStore, type Identity, LOCAL_ACCOUNT } from './identities';
import { evaluate } from './policy';
import { shareCredentialsWithS3rver } from './s3rver-accounts';
import { StackModel } from './stack-model';
import { startSts } from './sts';
import type { SynthesizedStack } from './template';

/*
 * The laptop's AWS identity layer, assembled: IAM (roles, policies, OIDC providers from the CDK template),
 * STS, the operator's identity, and one role session per function, whose credentials only that function's
 * worker holds. local/stack.ts wires it in; the KMS emulator, STS and the Lambda endpoint enforce it.
 */

export interface LocalIam {
  readonly iam: IamStore;
  /** The administrator the seed, provisioning and tests act as: every IAM permission, no key's use. */
  readonly operator: Identity;
  /** STS and the IAM operations of local/iam/iam-api.ts, at one endpoint. */
  readonly stsUrl: string;
  close(): Promise<void>;
}

export async function startLocalIam(options: { host: string; region: string }): Promise<LocalIam> {
  const iam = new IamStore(LOCAL_ACCOUNT, options.region);
  shareCredentialsWithS3rver(iam);
  const operator = iam.createUser('docflow-operator', [ADMINISTRATOR_ACCESS]);
  const sts = await startSts({ iam, host: options.host });
  return { iam, operator, stsUrl: sts.url, close: () => sts.close() };
}

export const credentialsOf = (identity: Identity): Credentials => identity.credentials;

/** The SDK's environment variables for a set of credentials. */
export function credentialVariables(credentials: Credentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
}

export interface LocalFunctionIdentity {
  readonly roleArn: string;
  readonly credentials: Credentials;
  /** Everything the function's worker runs with, credentials included. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface ProvisionedStack {
  readonly functions: Readonly<Record<string, LocalFunction>>;
  readonly identities: Readonly<Record<string, LocalFunctionIdentity>>;
  /**
   * A session of the break-glass role the key policies name (the city's security officers create it in
   * AWS; here it is made like the stack's roles): the only identity that may change a run-time key's
   * policy, e.g. with `npm run keys:update-policies`.
   */
  readonly breakGlass: LocalFunctionIdentity;
  readonly summary: readonly string[];
}

/** Every function the stack deploys: API, invoked and stream-fed. */
const CATALOGUE: Readonly<Record<string, { readonly entry: string }>> = {
  ...functions,
  ...internalFunctions,
  ...streamConsumers,
};

/** Lambda may assume the role (its trust policy names the service), as CloudFormation requires. */
function lambdaMayAssume(iam: IamStore, roleName: string): boolean {
  const role = iam.role(roleName);
  if (!role) return false;
  const result = evaluate([role.trustPolicy], {
    action: 'sts:AssumeRole',
    resource: role.arn,
    caller: { arn: 'lambda.amazonaws.com', accountId: iam.accountId, service: 'lambda.amazonaws.com' },
    context: {},
  });
  return result.allow !== undefined && result.deny === undefined;
}

/**
 * Provisions what the template describes, in the order CloudFormation would: OIDC providers, roles (trust
 * policies), the stack's KMS keys (policies naming the roles), the roles' permission policies (naming the
 * keys), then each function's role session and environment.
 */
export async function provisionFromTemplate(options: {
  local: LocalIam;
  stack: SynthesizedStack;
  gatewayOrigin: string;
  kmsEndpoint: string;
  /** Endpoints, region, stage, logging: what every local function gets besides its template variables. */
  baseEnvironment: Readonly<Record<string, string>>;
  /** DOCFLOW_* settings the operator started the stack with (e.g. DOCFLOW_TRUSTED_ROOTS_PEM). */
  settings: Readonly<Record<string, string>>;
  /** The local SMTP server (local/mail.ts), for the functions the stack lets send e-mail. */
  mail?: { readonly smtpUrl: string; readonly from: string };
}): Promise<ProvisionedStack> {
  const { local, stack, gatewayOrigin } = options;
  const { iam } = local;
  const namesByVariable: Record<string, string> = {};
  for (const spec of Object.values(tables)) namesByVariable[spec.env] = localTableName(spec);
  for (const spec of Object.values(buckets)) namesByVariable[spec.env] = localBucketName(spec.id);
  const model = new StackModel({
    stackName: stack.stackName,
    template: stack.template,
    accountId: iam.accountId,
    region: iam.region,
    gatewayOrigin,
    namesByVariable,
    functionNames: Object.keys(CATALOGUE),
  });
  const summary: string[] = [];

  const providers = model.providers();
  for (const provider of providers) iam.putOidcProvider(provider.url, provider.clientIds);
  const roles = model.roles();
  for (const role of roles) iam.putRole(role);
  // Before the keys: the stack's signing keys let only it and the deployment role change their policy.
  const breakGlass = breakGlassSession(iam);

  const kms = new KMSClient({
    endpoint: options.kmsEndpoint,
    region: iam.region,
    // As CloudFormation's execution role would be: the keys' policies let only it (and the break-glass
    // role) change them, and KMS's lockout check wants the creator able to.
    credentials: breakGlass.credentials,
  });
  try {
    const keys = await provisionStackKeys(kms, model);
    summary.push(
      `keys: ${keys.created.length} created, ${keys.updated.length} brought up to date` +
        (keys.skipped.length > 0 ? `, ${keys.skipped.length} not held (${keys.skipped.join(', ')})` : ''),
    );
  } finally {
    kms.destroy();
  }
  for (const policy of model.rolePolicies())
    iam.putRolePolicy(policy.roleName, policy.policyName, policy.document);
  summary.push(`roles: ${roles.length}, OIDC providers: ${providers.map((p) => p.url).join(', ') || 'none'}`);

  const webOrigins = [gatewayOrigin.replace(/\/\/[^:/]+/, '//localhost'), gatewayOrigin];
  const modelled = new Map(model.functions().map((fn) => [fn.name, fn]));
  const localFunctions: Record<string, LocalFunction> = {};
  const identities: Record<string, LocalFunctionIdentity> = {};
  for (const [name, spec] of Object.entries(CATALOGUE)) {
    const fn = modelled.get(name);
    if (!fn)
      throw new Error(
        `the CDK template has no function ${name} (lambdas/routes.ts, lib/stream-consumers.ts)`,
      );
    const role = iam.role(fn.roleName);
    if (!role || !lambdaMayAssume(iam, fn.roleName))
      throw new Error(`function ${name}: Lambda may not assume its role ${fn.roleName}`);
    const session = iam.startSession(role, name);
    const template: Record<string, string> = { ...fn.environment };
    // Deployed values that name the public web origin, here the gateway's.
    if (template.DOCFLOW_ACTIVATION_ISSUER)
      template.DOCFLOW_ACTIVATION_ISSUER = `${gatewayOrigin}${new URL(template.DOCFLOW_ACTIVATION_ISSUER).pathname}`;
    if (template.DOCFLOW_WEB_ORIGINS !== undefined) template.DOCFLOW_WEB_ORIGINS = webOrigins.join(',');
    if (template.DOCFLOW_WEBAUTHN_RP_ID !== undefined) template.DOCFLOW_WEBAUTHN_RP_ID = 'localhost';
    // No user pool on a laptop: the local identity provider signs in the directory's people
    // (lambdas/adapters/sign-in-accounts.ts).
    delete template.DOCFLOW_USER_POOL_ID;
    // The live inbox's management API (PostToConnection): the local gateway serves the socket.
    if (template.DOCFLOW_LIVE_ENDPOINT !== undefined) template.DOCFLOW_LIVE_ENDPOINT = gatewayOrigin;
    // A function that sends e-mail (lib/permissions.ts sendEmail) links to the web inbox, here the gateway,
    // and sends through the local SMTP server instead of SES.
    if (template.DOCFLOW_WEB_URL !== undefined) {
      template.DOCFLOW_WEB_URL = gatewayOrigin;
      if (options.mail) {
        template.DOCFLOW_SMTP_URL = options.mail.smtpUrl;
        template.DOCFLOW_MAIL_FROM = options.mail.from;
      }
    }
    // Webhooks: secrets are sealed by the KMS emulator under the template's WebhookKey, as in AWS;
    // receivers on this machine may be plain http to the loopback.
    if (name.startsWith('webhook')) template.DOCFLOW_WEBHOOKS_ALLOW_LOOPBACK = '1';
    const environment = {
      ...options.settings,
      ...options.baseEnvironment,
      ...template,
      ...credentialVariables(session.credentials),
    };
    const functionArn = `arn:aws:lambda:${iam.region}:${iam.accountId}:function:${name}`;
    localFunctions[name] = { entry: spec.entry, environment, functionArn };
    identities[name] = { roleArn: role.arn, credentials: session.credentials, environment };
  }
  return { functions: localFunctions, identities, breakGlass, summary };
}

/**
 * The break-glass role the key policies name (breakGlassRoleName of the local stage, as the template was
 * synthesized with), assumable by the account, administrator: on a laptop it also plays the deployment role.
 */
function breakGlassSession(iam: IamStore): LocalFunctionIdentity {
  const context = (
    JSON.parse(readFileSync(join(resolve(import.meta.dirname, '..', '..'), 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    }
  ).context;
  const name =
    stageConfig((key) => (key === 'stage' ? 'local' : context[key]))
      .breakGlassRoleName.split('/')
      .pop() ?? '';
  const role = iam.putRole({
    name,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${iam.accountId}:root` },
          Action: 'sts:AssumeRole',
        },
      ],
    },
    description: 'docflow break-glass (local): key destruction and key policy changes',
  });
  iam.putRolePolicy(name, 'AdministratorAccess', ADMINISTRATOR_ACCESS);
  const session = iam.startSession(role, 'break-glass');
  return {
    roleArn: role.arn,
    credentials: session.credentials,
    environment: credentialVariables(session.credentials),
  };
}
