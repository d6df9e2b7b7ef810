import { BlockList, isIPv6 } from 'node:net';
import * as z from 'zod';

/*
 * IAM's policy language, parsed and evaluated as AWS does for one account: the grammar of identity
 * policies, key policies and trust policies (Principal/NotPrincipal, Action/NotAction, Resource/NotResource,
 * Condition), wildcards, policy variables, and the condition operators with their IfExists forms and the
 * ForAllValues:/ForAnyValue: set qualifiers. The local KMS emulator and STS decide with it; nothing in
 * docflow's own code does.
 */

// ---------------------------------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------------------------------

const OneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);
const PrincipalSchema = z.union([
  z.literal('*'),
  z
    .object({
      AWS: OneOrMany.optional(),
      Federated: OneOrMany.optional(),
      Service: OneOrMany.optional(),
      CanonicalUser: OneOrMany.optional(),
    })
    .strict(),
]);
const ConditionValue = z.union([z.string(), z.number(), z.boolean()]);
const ConditionBlock = z.record(
  z.string(),
  z.record(z.string(), z.union([ConditionValue, z.array(ConditionValue)])),
);

const StatementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Principal: PrincipalSchema.optional(),
    NotPrincipal: PrincipalSchema.optional(),
    Action: OneOrMany.optional(),
    NotAction: OneOrMany.optional(),
    Resource: OneOrMany.optional(),
    NotResource: OneOrMany.optional(),
    Condition: ConditionBlock.optional(),
  })
  .strict();

const PolicySchema = z
  .object({
    Version: z.enum(['2012-10-17', '2008-10-17']).optional(),
    Id: z.string().optional(),
    Statement: z.union([StatementSchema, z.array(StatementSchema)]),
  })
  .strict();

export type PolicyDocument = z.input<typeof PolicySchema>;
type RawStatement = z.infer<typeof StatementSchema>;

export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal?: PrincipalSet;
  readonly notPrincipal?: PrincipalSet;
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly conditions: readonly Condition[];
}

/** `*` (anyone), or the principals of each kind. */
export type PrincipalSet =
  | '*'
  | {
      readonly AWS: readonly string[];
      readonly Federated: readonly string[];
      readonly Service: readonly string[];
      readonly CanonicalUser: readonly string[];
    };

export interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface Policy {
  readonly version: '2012-10-17' | '2008-10-17';
  readonly statements: readonly Statement[];
  /** The document as given, for GetKeyPolicy and error messages. */
  readonly text: string;
}

/** Where the policy is attached decides what it must and must not say. */
export type PolicyKind = 'identity' | 'resource' | 'trust';

export class MalformedPolicy extends Error {}

const list = (value: string | readonly string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? [value] : [...value];

const OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]);

/** `ForAnyValue:StringLikeIfExists` → its parts; throws on an operator IAM does not know. */
export function parseOperator(name: string): {
  qualifier?: 'ForAllValues' | 'ForAnyValue';
  base: string;
  ifExists: boolean;
} {
  const match = /^(?:(ForAllValues|ForAnyValue):)?(.+?)(IfExists)?$/.exec(name);
  const base = match?.[2] ?? '';
  const ifExists = match?.[3] !== undefined;
  if (!OPERATORS.has(base) || (ifExists && base === 'Null'))
    throw new MalformedPolicy(`Unknown condition operator ${name}`);
  const qualifier = match?.[1] as 'ForAllValues' | 'ForAnyValue' | undefined;
  return { ...(qualifier ? { qualifier } : {}), base, ifExists };
}

function principalSet(raw: z.infer<typeof PrincipalSchema> | undefined): PrincipalSet | undefined {
  if (raw === undefined) return undefined;
  if (raw === '*') return '*';
  return {
    AWS: list(raw.AWS) ?? [],
    Federated: list(raw.Federated) ?? [],
    Service: list(raw.Service) ?? [],
    CanonicalUser: list(raw.CanonicalUser) ?? [],
  };
}

function statementOf(raw: RawStatement, kind: PolicyKind, index: number): Statement {
  const at = raw.Sid ? `statement ${raw.Sid}` : `statement ${index + 1}`;
  if ((raw.Action === undefined) === (raw.NotAction === undefined))
    throw new MalformedPolicy(`${at}: exactly one of Action and NotAction`);
  if (raw.Resource !== undefined && raw.NotResource !== undefined)
    throw new MalformedPolicy(`${at}: Resource and NotResource together`);
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined)
    throw new MalformedPolicy(`${at}: Principal and NotPrincipal together`);
  const hasPrincipal = raw.Principal !== undefined || raw.NotPrincipal !== undefined;
  if (kind === 'identity' && hasPrincipal)
    throw new MalformedPolicy(`${at}: an identity-based policy names no Principal`);
  if (kind !== 'identity' && !hasPrincipal) throw new MalformedPolicy(`${at}: Principal is required`);
  if (kind !== 'trust' && raw.Resource === undefined && raw.NotResource === undefined)
    throw new MalformedPolicy(`${at}: Resource is required`);
  const conditions: Condition[] = [];
  for (const [operator, block] of Object.entries(raw.Condition ?? {})) {
    parseOperator(operator);
    for (const [key, value] of Object.entries(block)) {
      const values = (Array.isArray(value) ? value : [value]).map(String);
      conditions.push({ operator, key, values });
    }
  }
  for (const action of [...(list(raw.Action) ?? []), ...(list(raw.NotAction) ?? [])]) {
    if (action !== '*' && !/^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$/.test(action))
      throw new MalformedPolicy(`${at}: invalid action ${action}`);
  }
  return {
    ...(raw.Sid !== undefined ? { sid: raw.Sid } : {}),
    effect: raw.Effect,
    principal: principalSet(raw.Principal),
    notPrincipal: principalSet(raw.NotPrincipal),
    actions: list(raw.Action),
    notActions: list(raw.NotAction),
    resources: list(raw.Resource),
    notResources: list(raw.NotResource),
    conditions,
  };
}

/** Parses a policy document (text or object); MalformedPolicy says what is wrong, as IAM would refuse it. */
export function parsePolicy(document: string | unknown, kind: PolicyKind): Policy {
  let value: unknown = document;
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  if (typeof document === 'string') {
    try {
      value = JSON.parse(document);
    } catch {
      throw new MalformedPolicy('The policy is not valid JSON');
    }
  }
  const parsed = PolicySchema.safeParse(value);
  if (!parsed.success) throw new MalformedPolicy(`Invalid policy: ${z.prettifyError(parsed.error)}`);
  const raw = Array.isArray(parsed.data.Statement) ? parsed.data.Statement : [parsed.data.Statement];
  return {
    version: parsed.data.Version ?? '2008-10-17',
    statements: raw.map((statement, index) => statementOf(statement, kind, index)),
    text,
  };
}

// ---------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------

/** Who asks, as policies see them. */
export interface Caller {
  /** The ARN the caller acts as: an assumed-role session, a user, the account root, a federated user. */
  readonly arn: string;
  readonly accountId: string;
  /** For a role session: the role's ARN, which a Principal naming the role matches. */
  readonly roleArn?: string;
  /** For a web identity about to assume a role: the OIDC provider's ARN (Principal `Federated`). */
  readonly federatedProvider?: string;
  readonly service?: string;
  readonly isRoot?: boolean;
}

/** Condition keys and their values in one request; keys are matched case-insensitively, as IAM does. */
export type ContextValues = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly caller: Caller;
  readonly context: ContextValues;
}

/** How a resource-based policy's Allow names the caller: itself, or its account (delegation to IAM). */
export type AllowedAs = 'principal' | 'account';

export interface Evaluation {
  readonly deny?: Statement;
  readonly allow?: { readonly statement: Statement; readonly as: AllowedAs };
}

function lowerKeys(context: ContextValues): Map<string, string | readonly string[]> {
  const map = new Map<string, string | readonly string[]>();
  for (const [key, value] of Object.entries(context))
    if (value !== undefined) map.set(key.toLowerCase(), value);
  return map;
}

/**
 * A policy string after its variables are substituted: pieces of policy text (where `*` and `?` are
 * wildcards) and pieces of request values (always literal: a `*` in a tag value is not a wildcard).
 */
type Pattern = readonly { readonly text: string; readonly literal: boolean }[];

/**
 * Replaces `${key}` and `${key, 'default'}` with the request's value; `${*}`, `${?}`, `${$}` stand for the
 * characters themselves. Undefined when a variable has no single value (the value then matches nothing).
 */
function substitute(
  template: string,
  context: Map<string, string | readonly string[]>,
  version: Policy['version'],
): Pattern | undefined {
  if (version !== '2012-10-17' || !template.includes('${')) return [{ text: template, literal: false }];
  const pattern: { text: string; literal: boolean }[] = [];
  let last = 0;
  for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
    pattern.push({ text: template.slice(last, match.index), literal: false });
    last = match.index + match[0].length;
    const inner = match[1] ?? '';
    if (inner === '*' || inner === '?' || inner === '$') {
      pattern.push({ text: inner, literal: true });
      continue;
    }
    const [rawKey, ...rest] = inner.split(',');
    const value = context.get((rawKey ?? '').trim().toLowerCase());
    const fallback = /^\s*'([^']*)'\s*$/.exec(rest.join(','))?.[1];
    if (typeof value === 'string') pattern.push({ text: value, literal: true });
    else if (fallback !== undefined) pattern.push({ text: fallback, literal: true });
    else return undefined;
  }
  pattern.push({ text: template.slice(last), literal: false });
  return pattern;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function patternRegExp(pattern: Pattern, ignoreCase: boolean): RegExp {
  const source = pattern
    .map(({ text, literal }) =>
      literal
        ? escapeRegExp(text)
        : [...text].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join(''),
    )
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

/** The text of a substituted value, for exact comparisons. */
const plain = (pattern: Pattern) => pattern.map((piece) => piece.text).join('');

/** Splits a pattern at the colons of its policy text (an ARN's components). */
function splitPattern(pattern: Pattern): { text: string; literal: boolean }[][] {
  const parts: { text: string; literal: boolean }[][] = [[]];
  for (const piece of pattern) {
    if (piece.literal) {
      parts.at(-1)?.push(piece);
      continue;
    }
    piece.text.split(':').forEach((text, index) => {
      if (index > 0) parts.push([]);
      parts.at(-1)?.push({ text, literal: false });
    });
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------------

const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

/** The positive form of a negated operator (StringNotLike → StringLike). */
const POSITIVE: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

const toNumber = (value: string) => (/^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN);
const toTime = (value: string) =>
  /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value.trim()) || Number.NaN;

function arnMatches(pattern: Pattern, value: string): boolean {
  // Six colon-separated components; the last may itself hold colons. Each is matched on its own.
  const components = splitPattern(pattern);
  const values = value.split(':');
  if (components.length < 6 || values.length < 6) return false;
  const lastPattern: Pattern = components
    .slice(5)
    .flatMap((component, index) => (index > 0 ? [{ text: ':', literal: true }, ...component] : component));
  const patterns = [...components.slice(0, 5), lastPattern];
  const parts = [...values.slice(0, 5), values.slice(5).join(':')];
  return patterns.every((component, i) => patternRegExp(component, false).test(parts[i] ?? ''));
}

function ipMatches(cidr: string, value: string): boolean {
  const [address, bits] = cidr.split('/');
  if (!address) return false;
  const family = isIPv6(address) ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  try {
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
    return list.check(value, isIPv6(value) ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}

/** Does one request value satisfy a positive operator against one policy value (already substituted)? */
function positiveMatch(base: string, policyValue: Pattern, value: string): boolean {
  switch (base) {
    case 'StringEquals':
      return plain(policyValue) === value;
    case 'StringEqualsIgnoreCase':
      return plain(policyValue).toLowerCase() === value.toLowerCase();
    case 'StringLike':
      return patternRegExp(policyValue, false).test(value);
    case 'NumericEquals':
      return toNumber(plain(policyValue)) === toNumber(value);
    case 'NumericLessThan':
      return toNumber(value) < toNumber(plain(policyValue));
    case 'NumericLessThanEquals':
      return toNumber(value) <= toNumber(plain(policyValue));
    case 'NumericGreaterThan':
      return toNumber(value) > toNumber(plain(policyValue));
    case 'NumericGreaterThanEquals':
      return toNumber(value) >= toNumber(plain(policyValue));
    case 'DateEquals':
      return toTime(plain(policyValue)) === toTime(value);
    case 'DateLessThan':
      return toTime(value) < toTime(plain(policyValue));
    case 'DateLessThanEquals':
      return toTime(value) <= toTime(plain(policyValue));
    case 'DateGreaterThan':
      return toTime(value) > toTime(plain(policyValue));
    case 'DateGreaterThanEquals':
      return toTime(value) >= toTime(plain(policyValue));
    case 'Bool':
      return plain(policyValue).toLowerCase() === value.toLowerCase();
    case 'BinaryEquals':
      return Buffer.from(plain(policyValue), 'base64').equals(Buffer.from(value, 'base64'));
    case 'IpAddress':
      return ipMatches(plain(policyValue), value);
    case 'ArnEquals':
    case 'ArnLike':
      return arnMatches(policyValue, value);
    default:
      return false;
  }
}

function conditionHolds(
  condition: Condition,
  context: Map<string, string | readonly string[]>,
  version: Policy['version'],
): boolean {
  const { qualifier, base, ifExists } = parseOperator(condition.operator);
  const present = context.get(condition.key.toLowerCase());
  if (base === 'Null') {
    const absent = present === undefined || (Array.isArray(present) && present.length === 0);
    return condition.values.some((v) => v.toLowerCase() === (absent ? 'true' : 'false'));
  }
  const negated = NEGATED.has(base);
  if (present === undefined) {
    if (ifExists || qualifier === 'ForAllValues') return true;
    if (qualifier === 'ForAnyValue') return false;
    return negated;
  }
  const positive = POSITIVE[base] ?? base;
  // A value whose variable has no value in this request matches nothing.
  const policyValues = condition.values
    .map((v) => substitute(v, context, version))
    .filter((v): v is Pattern => v !== undefined);
  const anyPolicyValue = (value: string) => policyValues.some((p) => positiveMatch(positive, p, value));
  const test = (value: string) => (negated ? !anyPolicyValue(value) : anyPolicyValue(value));
  const values = typeof present === 'string' ? [present] : present;
  if (qualifier === 'ForAllValues') return values.every(test);
  if (qualifier === 'ForAnyValue') return values.some(test);
  // A multivalued key without a qualifier: a positive operator needs one value to match; a negated one
  // needs none to match its positive form.
  return negated ? !values.some(anyPolicyValue) : values.some(anyPolicyValue);
}

// ---------------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------------

const ACCOUNT_ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;

/** How a Principal element names the caller, if it does. */
function principalMatch(set: PrincipalSet, caller: Caller): AllowedAs | undefined {
  if (set === '*') return 'principal';
  for (const entry of set.AWS) {
    if (entry === '*') return 'principal';
    const account = /^\d{12}$/.test(entry) ? entry : ACCOUNT_ROOT.exec(entry)?.[1];
    if (account !== undefined) {
      if (account === caller.accountId) return caller.isRoot ? 'principal' : 'account';
      continue;
    }
    if (entry === caller.arn || (caller.roleArn !== undefined && entry === caller.roleArn))
      return 'principal';
  }
  if (caller.federatedProvider !== undefined && set.Federated.includes(caller.federatedProvider))
    return 'principal';
  if (caller.service !== undefined && set.Service.includes(caller.service)) return 'principal';
  return undefined;
}

function statementApplies(
  statement: Statement,
  policy: Policy,
  request: Request,
  context: Map<string, string | readonly string[]>,
): AllowedAs | undefined {
  const actionMatches = (patterns: readonly string[]) =>
    patterns.some((pattern) => patternRegExp([{ text: pattern, literal: false }], true).test(request.action));
  if (statement.actions && !actionMatches(statement.actions)) return undefined;
  if (statement.notActions && actionMatches(statement.notActions)) return undefined;
  const resourceMatches = (patterns: readonly string[]) =>
    patterns.some((pattern) => {
      const substituted = substitute(pattern, context, policy.version);
      return substituted !== undefined && patternRegExp(substituted, false).test(request.resource);
    });
  if (statement.resources && !resourceMatches(statement.resources)) return undefined;
  if (statement.notResources && resourceMatches(statement.notResources)) return undefined;
  let as: AllowedAs = 'principal';
  if (statement.principal) {
    const match = principalMatch(statement.principal, request.caller);
    if (!match) return undefined;
    as = match;
  }
  if (statement.notPrincipal && principalMatch(statement.notPrincipal, request.caller)) return undefined;
  for (const condition of statement.conditions)
    if (!conditionHolds(condition, context, policy.version)) return undefined;
  return as;
}

/**
 * The statements of these policies that apply to the request: the first explicit Deny, and an Allow
 * (one naming the caller itself preferred over one naming its account).
 */
export function evaluate(policies: readonly Policy[], request: Request): Evaluation {
  const context = lowerKeys(request.context);
  let allow: Evaluation['allow'];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      const as = statementApplies(statement, policy, request, context);
      if (!as) continue;
      if (statement.effect === 'Deny') return { deny: statement };
      if (!allow || (allow.as === 'account' && as === 'principal')) allow = { statement, as };
    }
  }
  return allow ? { allow } : {};
}

export type Decision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** KMS and IAM's own words for why: the tail of "… is not authorized to perform: … because …". */
      readonly reason:
        | 'explicit deny in an identity-based policy'
        | 'explicit deny in a resource-based policy'
        | 'no identity-based policy allows'
        | 'no resource-based policy allows';
    };

/**
 * AWS's decision within one account: an explicit Deny anywhere wins; otherwise a resource-based policy
 * naming the caller allows on its own, one naming the caller's account delegates to the caller's
 * identity-based policies, and without a resource-based policy (`undefined`) those alone decide. KMS keys
 * always have a policy: a key policy that does not name the account makes IAM policies useless for it.
 */
export function decide(
  identityPolicies: readonly Policy[],
  resourcePolicy: Policy | undefined,
  request: Request,
): Decision {
  const identity = evaluate(identityPolicies, request);
  const resource = resourcePolicy ? evaluate([resourcePolicy], request) : {};
  if (identity.deny) return { allowed: false, reason: 'explicit deny in an identity-based policy' };
  if (resource.deny) return { allowed: false, reason: 'explicit deny in a resource-based policy' };
  if (!resourcePolicy) {
    return identity.allow ? { allowed: true } : { allowed: false, reason: 'no identity-based policy allows' };
  }
  if (resource.allow?.as === 'principal') return { allowed: true };
  if (resource.allow?.as === 'account') {
    return identity.allow ? { allowed: true } : { allowed: false, reason: 'no identity-based policy allows' };
  }
  return { allowed: false, reason: 'no resource-based policy allows' };
}

/** "User: <arn> is not authorized to perform: <action> on resource: <resource> because …". */
export function accessDeniedMessage(request: Request, decision: Decision & { allowed: false }): string {
  const because = decision.reason.startsWith('explicit')
    ? `with an ${decision.reason}`
    : `because ${decision.reason} the ${request.action} action`;
  return `User: ${request.caller.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${because}`;
}
