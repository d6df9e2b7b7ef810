/*
 * CloudFormation's intrinsic functions, resolved to what the laptop has: Ref and Fn::GetAtt of the
 * template's resources give local names and ARNs (roles, functions, keys, tables, buckets, OIDC providers),
 * pseudo parameters give the local account and region, Fn::Join/Sub/Select/Split/If work as in
 * CloudFormation. A resource the laptop has no counterpart for resolves to `{{LogicalId.Attribute}}`, which
 * matches nothing real.
 */

export type Template = {
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
  readonly Conditions?: Readonly<Record<string, unknown>>;
};

/** Physical values of resources, by logical id: what Ref gives and each attribute. */
export interface Physical {
  readonly ref: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

export class UnresolvedReference extends Error {}

const NO_VALUE = Symbol('AWS::NoValue');

export interface ResolverOptions {
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
  /** The physical value of a resource, or undefined when it has none (yet). */
  readonly physical: (logicalId: string, type: string) => Physical | undefined;
}

export class Resolver {
  constructor(
    private readonly template: Template,
    private readonly options: ResolverOptions,
  ) {}

  private pseudo(name: string): string | typeof NO_VALUE {
    switch (name) {
      case 'AWS::AccountId':
        return this.options.accountId;
      case 'AWS::Region':
        return this.options.region;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.options.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.options.region}:${this.options.accountId}:stack/${this.options.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        throw new UnresolvedReference(`unknown pseudo parameter ${name}`);
    }
  }

  private resourcePhysical(logicalId: string): Physical {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new UnresolvedReference(`no resource ${logicalId} in the template`);
    const physical = this.options.physical(logicalId, resource.Type);
    if (!physical) throw new UnresolvedReference(`${logicalId} (${resource.Type}) has no local value yet`);
    return physical;
  }

  private ref(name: string): unknown {
    return name.startsWith('AWS::') ? this.pseudo(name) : this.resourcePhysical(name).ref;
  }

  private getAtt(logicalId: string, attribute: string): unknown {
    const value = this.resourcePhysical(logicalId).attributes?.[attribute];
    return value === undefined ? `{{${logicalId}.${attribute}}}` : value;
  }

  private condition(name: string): boolean {
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new UnresolvedReference(`no condition ${name}`);
    return Boolean(this.resolveValue(definition));
  }

  private sub(template: string, variables: Record<string, unknown>): string {
    return template.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      if (Object.hasOwn(variables, name)) return String(this.resolveValue(variables[name]));
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id = '', ...attribute] = name.split('.');
        return String(this.getAtt(id, attribute.join('.')));
      }
      return String(this.ref(name));
    });
  }

  private intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(String(argument));
      case 'Fn::GetAtt': {
        const [id, ...attribute] = Array.isArray(argument)
          ? argument.map(String)
          : String(argument).split('.');
        return this.getAtt(id ?? '', attribute.join('.'));
      }
      case 'Fn::Join': {
        const [separator, values] = argument as [string, unknown[]];
        const resolved = this.resolveValue(values) as unknown[];
        return resolved.map(String).join(separator);
      }
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(argument)
          ? (argument as [string, Record<string, unknown>])
          : [String(argument), {}];
        return this.sub(text, variables).replace(/\$\{!/g, '${');
      }
      case 'Fn::Select': {
        const [index, values] = argument as [unknown, unknown];
        return (this.resolveValue(values) as unknown[])[Number(this.resolveValue(index))];
      }
      case 'Fn::Split': {
        const [separator, text] = argument as [string, unknown];
        return String(this.resolveValue(text)).split(separator);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        return this.resolveValue(this.condition(condition) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [a, b] = argument as [unknown, unknown];
        return JSON.stringify(this.resolveValue(a)) === JSON.stringify(this.resolveValue(b));
      }
      case 'Fn::Not':
        return !(this.resolveValue((argument as unknown[])[0]) as boolean);
      case 'Fn::And':
        return (argument as unknown[]).every((c) => Boolean(this.resolveValue(c)));
      case 'Fn::Or':
        return (argument as unknown[]).some((c) => Boolean(this.resolveValue(c)));
      case 'Condition':
        return this.condition(String(argument));
      case 'Fn::Base64':
        return Buffer.from(String(this.resolveValue(argument))).toString('base64');
      case 'Fn::GetAZs':
        return [`${this.options.region}a`, `${this.options.region}b`, `${this.options.region}c`];
      default:
        throw new UnresolvedReference(`unsupported intrinsic ${name}`);
    }
  }

  private resolveValue(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolveValue(item)).filter((item) => item !== NO_VALUE);
    }
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [[key, argument]] = entries as [[string, unknown]];
      if (key === 'Ref' || key.startsWith('Fn::') || key === 'Condition')
        return this.intrinsic(key, argument);
    }
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const result = this.resolveValue(item);
      if (result !== NO_VALUE) resolved[key] = result;
    }
    return resolved;
  }

  /** The value with every intrinsic function resolved. */
  resolve<T = unknown>(value: unknown): T {
    const result = this.resolveValue(value);
    return (result === NO_VALUE ? undefined : result) as T;
  }
}

/** Replaces every occurrence of each key in every string of a JSON value (keys and values alike). */
export function rewriteStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((item) => rewriteStrings(item, rewrite));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [rewrite(key), rewriteStrings(item, rewrite)]),
  );
}
