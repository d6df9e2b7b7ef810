import { createHash } from 'node:crypto';
import { type Physical, Resolver, rewriteStrings, type Template } from './resolve';

/*
 * What the local stack takes from the synthesized CDK template: every IAM role with its trust policy and
 * permission policies, every KMS key with its key policy, tags and aliases, the OIDC providers, and each
 * function's role and the environment the template gives it, all resolved to local names (account, region,
 * roles, keys, tables, buckets, the gateway's URL for the public web origin). The same policies AWS would
 * enforce are then enforced on the laptop by the KMS emulator and STS.
 */

export interface ModelOptions {
  readonly stackName: string;
  readonly template: Template;
  readonly accountId: string;
  readonly region: string;
  /** `http://host:port`: the local gateway, which stands for the web distribution and the HTTP API. */
  readonly gatewayOrigin: string;
  /** Local table and bucket names by the environment variable that carries them (DOCFLOW_*_TABLE). */
  readonly namesByVariable: Readonly<Record<string, string>>;
  /** Function names of lambdas/routes.ts and lib/stream-consumers.ts. */
  readonly functionNames: readonly string[];
  /** Role names on the laptop: `<stack>-<logical id>`, as CloudFormation would name them (less the suffix). */
  readonly roleName?: (logicalId: string) => string;
}

export interface ModelKey {
  readonly logicalId: string;
  readonly aliases: readonly string[];
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly description: string;
  readonly tags: readonly { TagKey: string; TagValue: string }[];
  readonly enabled: boolean;
  /**
   * Whether the KMS emulator can hold it: asymmetric signing keys of the specs it makes, and symmetric
   * ENCRYPT_DECRYPT keys (the webhook key's Encrypt/Decrypt; the data keys, which S3 and DynamoDB would use
   * in AWS, are held too but unused on the laptop).
   */
  readonly supported: boolean;
}

export interface ModelRole {
  readonly logicalId: string;
  readonly name: string;
  readonly trustPolicy: unknown;
  readonly maxSessionDurationSeconds?: number;
  readonly description?: string;
}

export interface ModelFunction {
  readonly name: string;
  readonly logicalId: string;
  readonly roleName: string;
  /** The template's DOCFLOW_* variables, resolved; the local stack adds endpoints and credentials. */
  readonly environment: Readonly<Record<string, string>>;
}

const EMULATED_SPECS = new Set(['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256']);
/** Template variables the laptop replaces with its own: certificates keep the stable local CRL URL. */
const LOCAL_ONLY_VARIABLES = new Set(['DOCFLOW_CRL_URL']);

const pascal = (name: string) => `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;

/** A stand-in key id for keys the emulator does not hold, stable across starts. */
function placeholderKeyId(logicalId: string): string {
  const hex = createHash('sha256').update(logicalId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

type Resource = Template['Resources'][string];

export class StackModel {
  private readonly resolver: Resolver;
  private readonly keyIds = new Map<string, string>();
  private readonly functionByLogicalId = new Map<string, string>();
  private readonly namesByLogicalId = new Map<string, string>();
  private readonly gatewayHost: string;

  constructor(private readonly options: ModelOptions) {
    this.gatewayHost = new URL(options.gatewayOrigin).host;
    for (const name of options.functionNames) {
      const pattern = new RegExp(`^${pascal(name)}Function[0-9A-F]{8}$`);
      const found = this.ofType('AWS::Lambda::Function').filter(([id]) => pattern.test(id));
      if (found.length === 1 && found[0]) this.functionByLogicalId.set(found[0][0], name);
    }
    // Tables and buckets are named locally by what they are for, which the template says through the
    // variable that carries each one's name to the functions.
    for (const [, fn] of this.ofType('AWS::Lambda::Function')) {
      const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables;
      for (const [variable, value] of Object.entries(variables ?? {})) {
        const local = options.namesByVariable[variable];
        const ref = (value as { Ref?: unknown } | null)?.Ref;
        if (local && typeof ref === 'string') this.namesByLogicalId.set(ref, local);
      }
    }
    this.resolver = new Resolver(options.template, {
      accountId: options.accountId,
      region: options.region,
      stackName: options.stackName,
      physical: (logicalId, type) => this.physical(logicalId, type),
    });
  }

  private ofType(type: string): [string, Resource][] {
    return Object.entries(this.options.template.Resources).filter(([, resource]) => resource.Type === type);
  }

  private roleName(logicalId: string): string {
    return (this.options.roleName ?? ((id) => `${this.options.stackName}-${id}`))(logicalId).slice(0, 64);
  }

  private physical(logicalId: string, type: string): Physical | undefined {
    const { accountId, region } = this.options;
    const resource = this.options.template.Resources[logicalId];
    const props = resource?.Properties ?? {};
    switch (type) {
      case 'AWS::IAM::Role': {
        const name = typeof props.RoleName === 'string' ? props.RoleName : this.roleName(logicalId);
        return {
          ref: name,
          attributes: {
            Arn: `arn:aws:iam::${accountId}:role/${name}`,
            RoleId: `AROA${createHash('sha256').update(name).digest('hex').slice(0, 17).toUpperCase()}`,
          },
        };
      }
      case 'AWS::Lambda::Function': {
        const name = this.functionByLogicalId.get(logicalId) ?? logicalId;
        return { ref: name, attributes: { Arn: `arn:aws:lambda:${region}:${accountId}:function:${name}` } };
      }
      case 'AWS::KMS::Key': {
        const key = this.keys().find((k) => k.logicalId === logicalId);
        // A key provisioning creates (local/provision.ts: held, with an alias to find it by) has no ARN
        // until it exists; any other gets a stand-in.
        const created = key?.supported === true && key.aliases.length > 0;
        const keyId = this.keyIds.get(logicalId) ?? (created ? undefined : placeholderKeyId(logicalId));
        if (!keyId) return undefined;
        return {
          ref: keyId,
          attributes: { Arn: `arn:aws:kms:${region}:${accountId}:key/${keyId}`, KeyId: keyId },
        };
      }
      case 'AWS::KMS::Alias':
        return { ref: String(this.resolver.resolve(props.AliasName)) };
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table': {
        const name = this.namesByLogicalId.get(logicalId) ?? `docflow-${logicalId}`;
        const arn = `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
        return { ref: name, attributes: { Arn: arn, StreamArn: `${arn}/stream/local` } };
      }
      case 'AWS::S3::Bucket': {
        const name = this.namesByLogicalId.get(logicalId) ?? `docflow-${logicalId.toLowerCase()}`;
        return {
          ref: name,
          attributes: {
            Arn: `arn:aws:s3:::${name}`,
            DomainName: `${name}.s3.amazonaws.com`,
            RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
          },
        };
      }
      case 'AWS::IAM::OIDCProvider':
      case 'Custom::AWSCDKOpenIdConnectProvider': {
        const arn = `arn:aws:iam::${accountId}:oidc-provider/${this.providerUrl(props.Url).replace(/^https?:\/\//, '')}`;
        return { ref: arn, attributes: { Arn: arn } };
      }
      case 'Custom::AWSCDKCfnJson':
        return {
          ref: logicalId,
          attributes: { Value: JSON.parse(String(this.resolver.resolve(props.Value))) },
        };
      case 'AWS::CloudFront::Distribution':
        return { ref: 'LOCAL', attributes: { DomainName: this.gatewayHost } };
      case 'AWS::ApiGatewayV2::Api':
        return { ref: '{{api}}', attributes: { ApiEndpoint: this.options.gatewayOrigin, ApiId: '{{api}}' } };
      case 'AWS::Logs::LogGroup': {
        const name = typeof props.LogGroupName === 'string' ? props.LogGroupName : `/local/${logicalId}`;
        return { ref: name, attributes: { Arn: `arn:aws:logs:${region}:${accountId}:log-group:${name}:*` } };
      }
      default:
        return { ref: `{{${logicalId}}}` };
    }
  }

  /** Local URLs for what stands for the gateway: the distribution's and the API's https origins. */
  private localise<T>(value: T): T {
    const { region } = this.options;
    const host = this.gatewayHost;
    return rewriteStrings(value, (text) =>
      text
        .replaceAll(`{{api}}.execute-api.${region}.amazonaws.com`, host)
        .replaceAll(`https://${host}`, this.options.gatewayOrigin),
    ) as T;
  }

  private resolve<T>(value: unknown): T {
    return this.localise(this.resolver.resolve<T>(value));
  }

  private providerUrl(url: unknown): string {
    return this.resolve<string>(url);
  }

  keys(): ModelKey[] {
    return this.ofType('AWS::KMS::Key').map(([logicalId, resource]) => {
      const props = resource.Properties ?? {};
      const keySpec = String(props.KeySpec ?? 'SYMMETRIC_DEFAULT');
      const keyUsage = String(props.KeyUsage ?? 'ENCRYPT_DECRYPT');
      const aliases = this.ofType('AWS::KMS::Alias')
        .filter(([, alias]) => JSON.stringify(alias.Properties?.TargetKeyId).includes(`"${logicalId}"`))
        .map(([, alias]) => String(alias.Properties?.AliasName));
      const tags = ((props.Tags ?? []) as { Key: string; Value: unknown }[]).map((tag) => ({
        TagKey: tag.Key,
        TagValue: String(tag.Value),
      }));
      return {
        logicalId,
        aliases,
        keySpec,
        keyUsage,
        description: String(props.Description ?? ''),
        tags,
        enabled: props.Enabled !== false,
        supported:
          (keyUsage === 'SIGN_VERIFY' && EMULATED_SPECS.has(keySpec)) ||
          (keyUsage === 'ENCRYPT_DECRYPT' && keySpec === 'SYMMETRIC_DEFAULT'),
      };
    });
  }

  /** A key's policy, resolved (it names roles; it may not name another key not yet created). */
  keyPolicy(logicalId: string): unknown {
    return this.resolve(this.options.template.Resources[logicalId]?.Properties?.KeyPolicy);
  }

  /** Records the emulator's id of a stack key, once provisioned: its ARN resolves from then on. */
  setKeyId(logicalId: string, keyId: string): void {
    this.keyIds.set(logicalId, keyId);
  }

  providers(): { logicalId: string; url: string; clientIds: string[] }[] {
    return [
      ...this.ofType('AWS::IAM::OIDCProvider'),
      ...this.ofType('Custom::AWSCDKOpenIdConnectProvider'),
    ].map(([logicalId, resource]) => ({
      logicalId,
      url: this.providerUrl(resource.Properties?.Url),
      clientIds: this.resolve<string[]>(
        resource.Properties?.ClientIdList ?? resource.Properties?.ClientIDList ?? [],
      ),
    }));
  }

  roles(): ModelRole[] {
    return this.ofType('AWS::IAM::Role').map(([logicalId, resource]) => {
      const props = resource.Properties ?? {};
      const physical = this.physical(logicalId, 'AWS::IAM::Role');
      return {
        logicalId,
        name: physical?.ref ?? logicalId,
        trustPolicy: this.resolve(props.AssumeRolePolicyDocument),
        ...(typeof props.MaxSessionDuration === 'number'
          ? { maxSessionDurationSeconds: props.MaxSessionDuration }
          : {}),
        ...(typeof props.Description === 'string' ? { description: props.Description } : {}),
      };
    });
  }

  /**
   * Each role's permission policies: inline ones, and AWS::IAM::Policy and AWS::IAM::ManagedPolicy
   * resources attached to it. AWS managed policies (ManagedPolicyArns) grant nothing the laptop enforces
   * (logs, X-Ray) and are left out.
   */
  rolePolicies(): { roleName: string; policyName: string; document: unknown }[] {
    const policies: { roleName: string; policyName: string; document: unknown }[] = [];
    for (const role of this.roles()) {
      const props = this.options.template.Resources[role.logicalId]?.Properties ?? {};
      for (const inline of (props.Policies ?? []) as { PolicyName: unknown; PolicyDocument: unknown }[]) {
        policies.push({
          roleName: role.name,
          policyName: String(this.resolve(inline.PolicyName)),
          document: this.resolve(inline.PolicyDocument),
        });
      }
    }
    for (const [logicalId, resource] of [
      ...this.ofType('AWS::IAM::Policy'),
      ...this.ofType('AWS::IAM::ManagedPolicy'),
    ]) {
      const props = resource.Properties ?? {};
      for (const roleName of this.resolve<string[]>(props.Roles ?? [])) {
        policies.push({
          roleName,
          policyName: String(this.resolve(props.PolicyName ?? props.ManagedPolicyName ?? logicalId)),
          document: this.resolve(props.PolicyDocument),
        });
      }
    }
    return policies;
  }

  functions(): ModelFunction[] {
    const functions: ModelFunction[] = [];
    for (const [logicalId, name] of this.functionByLogicalId) {
      const props = this.options.template.Resources[logicalId]?.Properties ?? {};
      const roleName = this.resolve<string>(props.Role).replace(/^arn:aws:iam::\d{12}:role\/(?:.*\/)?/, '');
      const variables =
        this.resolve<{ Variables?: Record<string, unknown> } | undefined>(props.Environment)?.Variables ?? {};
      const environment: Record<string, string> = {};
      for (const [variable, value] of Object.entries(variables)) {
        if (variable.startsWith('DOCFLOW_') && !LOCAL_ONLY_VARIABLES.has(variable))
          environment[variable] = String(value);
      }
      functions.push({ name, logicalId, roleName, environment });
    }
    return functions;
  }
}
