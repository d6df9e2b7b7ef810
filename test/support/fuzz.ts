import { createHash } from 'node:crypto';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import * as fc from 'fast-check';
import { draftDecision } from '../fixtures/documents';
import { SoftwareAuthenticator } from './software-authenticator';
import { uploadTo } from './upload';

/*
 * A property-based fuzzer of the HTTP API, against a running local stack (the integration test and
 * `npm run bench -- --only fuzz` share it). Requests are generated from the OpenAPI document the stack serves
 * (GET /api/openapi.json, itself generated from lambdas/contracts): every route, with bodies, path
 * parameters, queries (inbox cursors among them) and headers, valid or hostile, as every demo user. The
 * property: no answer is a 5xx, none takes longer than a bound, and a refused request (4xx) changes
 * nothing that is stored (every table item and every object, compared before and after).
 */

export interface FuzzTarget {
  readonly url: string;
  readonly services: Readonly<Record<'dynamodb' | 's3' | 'kms', string>>;
  readonly environment: Readonly<Record<string, string>>;
}

export interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  /** Slower answers fail the property. */
  readonly answerBoundMs: number;
  readonly log?: (line: string) => void;
}

export interface FuzzRequest {
  readonly route: string;
  readonly method: string;
  /** Path and query as sent, percent-encoded (or deliberately malformed). */
  readonly target: string;
  readonly user: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

export interface FuzzFailure {
  readonly reason: string;
  readonly request: FuzzRequest;
  readonly status: number;
  readonly answer: string;
}

export interface FuzzReport {
  /** Edge cases (a few per route) and generated runs. */
  readonly requests: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly routes: Readonly<Record<string, number>>;
  readonly latenciesMs: readonly number[];
  readonly failures: readonly FuzzFailure[];
}

// --- The OpenAPI document, as far as the generator reads it ----------------------------------------------

interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly schema?: JsonSchema;
}

interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> };
}

interface OpenApi {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, JsonSchema>> };
}

// --- A small client -------------------------------------------------------------------------------------

interface Answer {
  readonly status: number;
  readonly text: string;
}

async function call(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
  return { status: response.status, text: await response.text() };
}

async function json(url: string, method: string, path: string, token?: string, body?: unknown) {
  const answer = await call(url, method, path, { token, body });
  if (answer.status >= 300) throw new Error(`fuzz setup: ${method} ${path}: ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

// --- What the generator knows of the stack's data -------------------------------------------------------

interface Fixtures {
  readonly users: readonly string[];
  readonly tokens: ReadonlyMap<string, string>;
  readonly documentIds: readonly string[];
  readonly verifyIds: readonly string[];
  readonly uploadIds: readonly string[];
  readonly cursors: readonly string[];
  readonly orgIds: readonly string[];
}

/** Documents in several states, cursors, uploads: what valid requests need to name. */
async function setUp(url: string): Promise<Fixtures> {
  const listed = (await json(url, 'GET', '/api/dev/users')).users as { userId: string }[];
  const users = listed.map((u) => u.userId);
  const tokens = new Map<string, string>();
  for (const user of users)
    tokens.set(user, String((await json(url, 'POST', '/api/dev/login', undefined, { userId: user })).token));
  const as = (user: string) => tokens.get(user);
  const post = (user: string, path: string, body: unknown = {}) => json(url, 'POST', path, as(user), body);

  const created = async (title: string, upload: boolean) => {
    const draft = await post('city-specialist', '/api/documents', { title, docType: 'quyet-dinh' });
    const id = String(draft.id);
    if (upload) {
      const target = draft.upload as { url: string; fields: Record<string, string> };
      const put = await uploadTo(target, await draftDecision(1));
      if (!put.ok) throw new Error(`fuzz setup: upload ${put.status}`);
      await post('city-specialist', `/api/documents/${id}/content`);
    }
    return id;
  };
  const awaitingContent = await created('Dự thảo chờ tệp (fuzz)', false);
  const draft = await created('Dự thảo (fuzz)', true);
  const toSign = await created('Dự thảo trình ký (fuzz)', true);
  await post('city-specialist', `/api/documents/${toSign}/submit`);
  await post('city-chairman', `/api/documents/${toSign}/approve`, { signerId: 'city-vice-chairman' });
  const sent = await created('Văn bản đã gửi (fuzz)', true);
  await post('city-specialist', `/api/documents/${sent}/submit`);
  await post('city-chairman', `/api/documents/${sent}/approve`, { signerId: 'city-vice-chairman' });
  // Each signature prepared, authorized with the signer's own passkey, then made (docs/SECURITY.md).
  const authorized = async (user: string, prepared: Record<string, unknown>) => {
    const device = new SoftwareAuthenticator({
      origin: url.replace('127.0.0.1', 'localhost'),
      rpId: 'localhost',
    });
    const options = await post(user, '/api/me/passkeys/options');
    await post(user, '/api/me/passkeys', {
      challengeId: options.challengeId,
      response: device.register(options.options as { challenge: string }),
    });
    const challenge = await post(user, '/api/signature-authorizations/challenges', {
      requestIds: [prepared.requestId],
    });
    await post(user, '/api/signature-authorizations', {
      challengeId: challenge.challengeId,
      passkey: device.assert(String((challenge.options as { challenge: string }).challenge)),
    });
    return { requestId: prepared.requestId };
  };
  const signature = await post('city-vice-chairman', `/api/documents/${sent}/signature-requests`, {
    capacity: 'KT',
    onBehalfOfCollective: true,
  });
  await post(
    'city-vice-chairman',
    `/api/documents/${sent}/sign`,
    await authorized('city-vice-chairman', signature),
  );
  const seal = await post('city-clerk', `/api/documents/${sent}/issue-requests`);
  await post('city-clerk', `/api/documents/${sent}/issue`, await authorized('city-clerk', seal));
  await post('city-clerk', `/api/documents/${sent}/send`, { recipients: ['so-noi-vu', 'phuong-ba-dinh'] });
  await post('snv-clerk', `/api/documents/${sent}/register`);

  const verifyIds = [String((await post('city-auditor', '/api/verify')).id)];
  const uploadIds = [
    String((await post('city-chairman', '/api/people/city-chairman/signature-image/uploads')).uploadId),
  ];
  const cursors: string[] = [];
  for (const [user, folder] of [
    ['city-specialist', 'drafts'],
    ['snv-clerk', 'incoming'],
    ['city-clerk', 'outgoing'],
  ] as const) {
    const page = await json(url, 'GET', `/api/inbox?folder=${folder}&limit=1`, as(user));
    if (typeof page.cursor === 'string') cursors.push(page.cursor);
  }
  return {
    users,
    tokens,
    documentIds: [awaitingContent, draft, toSign, sent],
    verifyIds,
    uploadIds,
    cursors,
    orgIds: ['ubnd-hanoi', 'so-noi-vu', 'so-tai-chinh', 'phuong-ba-dinh', 'phuong-hoan-kiem', 'xa-soc-son'],
  };
}

// --- Generators -----------------------------------------------------------------------------------------

/** Strings that have broken something somewhere: controls, lone surrogates, huge, reserved-looking. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  // Past a 128-character limit, in bytes too; short enough for a URL (Node takes 16 KiB of headers).
  fc.integer({ min: 129, max: 1_500 }).map((n) => 'é'.repeat(n)),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 8 }))
    .map(([a, surrogate, b]) => `${a}${String.fromCharCode(surrogate)}${b}`),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'Về việc\u0000',
    'a\u202Eb',
    '\uFEFF',
    '%00',
    '%E0%A4%A',
    '../../etc/passwd',
    'DOC#x',
    'TLOG#SIZE',
    '__proto__',
    'constructor',
    'null',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, literally
    '${jndi:ldap://x}',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '📄📄📄',
    'Về việc thử nghiệm',
    'x'.repeat(3000),
    'Đ'.repeat(600),
  ),
);

/** Longer than any id or key DynamoDB takes (2048 bytes for a partition key, 1024 for a sort key). */
const longString = fc.integer({ min: 1_000, max: 4_000 }).map((n) => 'x'.repeat(n));

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [[[[[[]]]]]]),
  fc.integer(),
  fc.double(),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

const isoDate = fc
  .integer({ min: -400, max: 400 })
  .map((days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10));

function resolveRef(api: OpenApi, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').at(-1) ?? '';
  const target = api.components?.schemas?.[name];
  if (!target) throw new Error(`fuzz: unknown $ref ${schema.$ref}`);
  return resolveRef(api, target);
}

/** A value the schema accepts (mostly), with names that refer to the stack's data filled from it. */
function valid(api: OpenApi, raw: JsonSchema, name: string, fx: Fixtures): fc.Arbitrary<unknown> {
  const schema = resolveRef(api, raw);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valid(api, s, name, fx)));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) model[key] = valid(api, value, key, fx);
      return fc.record(model, { requiredKeys: [...(schema.required ?? [])] });
    }
    case 'array': {
      const item = schema.items ? valid(api, schema.items, name, fx) : hostileJson;
      return fc.array(item, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 3_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 3_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return validString(schema, name, fx);
    default:
      return hostileJson;
  }
}

function validString(schema: JsonSchema, name: string, fx: Fixtures): fc.Arbitrary<string> {
  const people = [...fx.users, 'unit:VX', 'unit:TH'];
  const known: Record<string, readonly string[]> = {
    signerId: people,
    presentTo: people,
    lead: people,
    handler: people,
    support: people,
    info: people,
    personId: fx.users,
    to: [...fx.orgIds, 'all-wards', 'all-departments'],
    recipients: [...fx.orgIds, 'all-wards', 'all-departments'],
    orgId: fx.orgIds,
    replyId: fx.documentIds,
    replacementId: fx.documentIds,
    documentId: fx.documentIds,
    uploadId: fx.uploadIds,
    cursor: fx.cursors,
    capacity: ['own', 'TM', 'KT', 'KT.', 'Q', 'TL', 'TUQ'],
  };
  const names = known[name];
  if (names && names.length > 0) return fc.constantFrom(...names);
  if (schema.format === 'date') return isoDate;
  if (schema.format === 'date-time') return isoDate.map((d) => `${d}T02:30:00.000Z`);
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.pattern) {
    try {
      const matching = fc.stringMatching(new RegExp(schema.pattern.replace(/\/u$/, ''), 'u'), {
        size: 'small',
      });
      fc.sample(matching, { numRuns: 1, seed: 1 });
      return matching;
    } catch {
      // A pattern JavaScript or fast-check cannot work with: any string will do.
    }
  }
  const min = Math.max(schema.minLength ?? 0, 1);
  const max = Math.max(Math.min(schema.maxLength ?? 200, 200), min);
  const samples = ['Về việc thử nghiệm', 'Kính trình lãnh đạo xem xét.', 'Đồng ý', 'abc'].filter(
    (s) => s.length >= min && s.length <= max,
  );
  const random = fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
  return samples.length > 0 ? fc.oneof(fc.constantFrom(...samples), random) : random;
}

/** A schema's value, or one bent out of shape: a field hostile, added, dropped; or the whole thing replaced. */
function bodyValue(api: OpenApi, schema: JsonSchema, fx: Fixtures): fc.Arbitrary<unknown> {
  const good = valid(api, schema, '', fx);
  const bent = fc.tuple(good, hostileString, hostileJson, fc.nat()).map(([value, key, junk, pick]) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return junk;
    const copy: Record<string, unknown> = { ...value };
    const keys = Object.keys(copy);
    const existing = keys[pick % Math.max(keys.length, 1)];
    switch (pick % 3) {
      case 0:
        if (existing) copy[existing] = junk;
        else copy[key] = junk;
        break;
      case 1:
        copy[key || 'extra'] = junk;
        break;
      default:
        if (existing) delete copy[existing];
    }
    return copy;
  });
  return fc.oneof(
    { weight: 6, arbitrary: good },
    { weight: 4, arbitrary: bent },
    { weight: 1, arbitrary: hostileJson },
  );
}

/** Percent-encodes a path segment; lone surrogates go as the replacement character's UTF-8, as browsers send. */
function encodeSegment(segment: string): string {
  try {
    return encodeURIComponent(segment);
  } catch {
    return [...Buffer.from(segment, 'utf8')]
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
      .join('');
  }
}

/** The ids a route's `{id}` may name in the stack: people, verifications or documents. */
function knownIds(template: string, fx: Fixtures): readonly string[] {
  if (template.startsWith('/api/people/')) return fx.users;
  if (template.startsWith('/api/verify/')) return [...fx.verifyIds, ...fx.documentIds];
  return fx.documentIds;
}

function pathId(template: string, fx: Fixtures): fc.Arbitrary<string> {
  const ids = knownIds(template, fx);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ids).map(encodeSegment) },
    { weight: 4, arbitrary: fc.oneof(fc.uuid(), hostileString, longString).map(encodeSegment) },
    // Malformed percent-encoding, sent as it is.
    { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%ED%A0%80', '%', '%zz', '%C0%AF') },
  );
}

function queryString(api: OpenApi, parameters: readonly Parameter[], fx: Fixtures): fc.Arbitrary<string> {
  const query = parameters.filter((p) => p.in === 'query');
  const forgedCursor = fc.oneof(
    hostileString,
    fc.constantFrom('null', '[]', '{}', '"x"').map((s) => Buffer.from(s).toString('base64url')),
    fc
      .tuple(fc.constantFrom(...fx.orgIds), fc.constantFrom('drafts', 'incoming', 'outgoing'))
      .map(([org, folder]) =>
        Buffer.from(
          JSON.stringify({ inboxPk: `${org}#${folder}`, inboxSk: 'x', pk: 'DOC#x', sk: 'x' }),
        ).toString('base64url'),
      ),
  );
  const values = query.map((p) => {
    const good = p.schema ? valid(api, p.schema, p.name, fx).map(String) : hostileString;
    const value =
      p.name === 'cursor'
        ? fc.oneof(fx.cursors.length > 0 ? fc.constantFrom(...fx.cursors) : forgedCursor, forgedCursor)
        : fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: hostileString });
    return fc.option(
      value.map((v) => [p.name, v] as const),
      { freq: 3 },
    );
  });
  const extra = fc.option(fc.tuple(hostileString, hostileString), { freq: 5 });
  return fc.tuple(fc.tuple(...values), extra).map(([chosen, more]) => {
    const search = new URLSearchParams();
    for (const pair of chosen) if (pair) search.append(pair[0], pair[1]);
    if (more) search.append(more[0] || 'x', more[1]);
    const text = search.toString();
    return text ? `?${text}` : '';
  });
}

/** A header value fetch can send (no line breaks or NUL): printable ASCII. */
const headerValue = fc
  .string({ unit: 'binary-ascii', maxLength: 200 })
  .map((s) => s.replace(/[^\x20-\x7e]/g, ''));

function requestFor(api: OpenApi, template: string, method: string, op: Operation, fx: Fixtures) {
  const parameters = op.parameters ?? [];
  const path = template.includes('{id}')
    ? pathId(template, fx).map((id) => template.replace('{id}', id))
    : fc.constant(template);
  const schema = op.requestBody?.content?.['application/json']?.schema;
  const body: fc.Arbitrary<string | undefined> = schema
    ? fc.oneof(
        { weight: 9, arbitrary: bodyValue(api, schema, fx).map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', 'null', '\u0000', 'x'.repeat(20_000)) },
      )
    : fc.constant(undefined);
  const user = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...fx.users) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const sometimes = <T>(arbitrary: fc.Arbitrary<T>, weight: number) =>
    fc.oneof({ weight: 10 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary });
  const headers = fc
    .tuple(
      fc.constantFrom('vi', 'en', 'en-US,en;q=0.9', 'fr', '*', 'en;q=abc', ''),
      sometimes(fc.oneof(fc.uuid(), headerValue), 3),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'text/plain',
            'application/octet-stream',
            'application/json; charset=latin1',
          ),
        },
      ),
      // Mostly the user's own token (set below); now and then a broken one.
      sometimes(fc.constantFrom('Bearer x.y.z', 'Basic YTpi', 'Bearer '), 1),
    )
    .map(([language, key, type, authorization]) => {
      const sent: Record<string, string> = { 'accept-language': language, 'content-type': type };
      if (key !== undefined) sent['idempotency-key'] = key;
      if (authorization !== undefined) sent.authorization = authorization;
      return sent;
    });
  return fc
    .tuple(path, queryString(api, parameters, fx), body, user, headers)
    .map(([p, query, b, u, h]): FuzzRequest => {
      const sent: Record<string, string> = { ...h };
      if (u && !h.authorization) sent.authorization = `Bearer ${fx.tokens.get(u) ?? ''}`;
      return {
        route: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        target: `${p}${query}`,
        user: u,
        headers: sent,
        body: b,
      };
    });
}

function requests(api: OpenApi, fx: Fixtures): fc.Arbitrary<FuzzRequest> {
  const all: fc.Arbitrary<FuzzRequest>[] = [];
  for (const [template, operations] of Object.entries(api.paths)) {
    for (const [method, op] of Object.entries(operations))
      all.push(requestFor(api, template, method, op, fx));
  }
  return fc.oneof(...all);
}

// --- The stored state -----------------------------------------------------------------------------------

/**
 * Every stored item and object, by key: what a refused request must leave as it was. The transparency log
 * (views items under TLOG…) is left out: the log stream's consumer appends to it after accepted writes, on
 * its own time, and reads may sequence what it has not reached yet (idempotent).
 */
async function storedState(target: FuzzTarget): Promise<Map<string, string>> {
  const config = {
    region: target.environment.AWS_REGION ?? 'ap-southeast-1',
    credentials: {
      accessKeyId: target.environment.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: target.environment.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
  const dynamo = new DynamoDBClient({ ...config, endpoint: target.services.dynamodb });
  const s3 = new S3Client({ ...config, endpoint: target.services.s3, forcePathStyle: true });
  const state = new Map<string, string>();
  try {
    for (const [variable, TableName] of Object.entries(target.environment)) {
      if (!variable.endsWith('_TABLE')) continue;
      let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamo.send(
          new ScanCommand({ TableName, ExclusiveStartKey, ConsistentRead: true }),
        );
        for (const item of page.Items ?? []) {
          const pk = JSON.stringify(item.pk ?? item.documentId ?? item.id);
          if (pk.startsWith('{"S":"TLOG')) continue;
          const text = JSON.stringify(item, Object.keys(item).sort());
          state.set(
            `${TableName} ${pk} ${JSON.stringify(item.sk ?? item.seq ?? '')}`,
            createHash('sha256').update(text).digest('hex'),
          );
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    for (const [variable, Bucket] of Object.entries(target.environment)) {
      if (!variable.endsWith('_BUCKET')) continue;
      let ContinuationToken: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
        for (const object of page.Contents ?? []) state.set(`${Bucket}/${object.Key}`, String(object.ETag));
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
    }
  } finally {
    dynamo.destroy();
    s3.destroy();
  }
  return state;
}

function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) changed.push(`added ${key}`);
    else if (before.get(key) !== value) changed.push(`changed ${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changed.push(`removed ${key}`);
  return changed;
}

/** Replaces every string in `value` with `text`. */
function everyString(value: unknown, text: string): unknown {
  if (typeof value === 'string') return text;
  if (Array.isArray(value)) return value.map((v) => everyString(v, text));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, everyString(v, text)]));
  return value;
}

/**
 * A few requests per route at its edges, as an administrator and an auditor: an id DynamoDB cannot take as
 * a key, malformed or control characters in the path, every string of the body or query too long, or
 * with a lone surrogate.
 */
function edgeCases(api: OpenApi, fx: Fixtures): FuzzRequest[] {
  const cases: FuzzRequest[] = [];
  const long = 'x'.repeat(3_000);
  const request = (
    method: string,
    template: string,
    id: string | undefined,
    search: string,
    user: string,
    body?: string,
  ) => ({
    route: `${method} ${template}`,
    method,
    target: `${id === undefined ? template : template.replace('{id}', id)}${search}`,
    user,
    headers: {
      'accept-language': 'en',
      'content-type': 'application/json',
      authorization: `Bearer ${fx.tokens.get(user) ?? ''}`,
    },
    body,
  });
  for (const [template, operations] of Object.entries(api.paths)) {
    for (const [verb, op] of Object.entries(operations)) {
      const method = verb.toUpperCase();
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const sample = schema ? fc.sample(valid(api, schema, '', fx), { numRuns: 1, seed: 1 })[0] : undefined;
      const body = sample === undefined ? undefined : JSON.stringify(sample);
      const known = template.includes('{id}') ? knownIds(template, fx)[0] : undefined;
      if (template.includes('{id}')) {
        for (const id of [long, '%ED%A0%80'])
          cases.push(request(method, template, id, '', 'city-admin', body));
      }
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      if (query.length > 0) {
        const search = `?${query.map((p) => `${p.name}=${long}`).join('&')}`;
        cases.push(request(method, template, known, search, 'city-auditor', body));
      }
      if (sample !== undefined) {
        for (const text of ['é'.repeat(3_000), 'a\uD800'])
          cases.push(
            request(method, template, known, '', 'city-admin', JSON.stringify(everyString(sample, text))),
          );
      }
    }
  }
  return cases;
}

// --- The run --------------------------------------------------------------------------------------------

export async function fuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => undefined);
  const api = JSON.parse((await call(target.url, 'GET', '/api/openapi.json')).text) as OpenApi;
  const fx = await setUp(target.url);
  log(
    `fuzz: ${Object.keys(api.paths).length} paths, ${fx.users.length} users, ${fx.documentIds.length} documents`,
  );
  const statuses: Record<string, number> = {};
  const routes: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const failures: FuzzFailure[] = [];
  let known: Map<string, string> | undefined;

  const check = async (request: FuzzRequest) => {
    const before = known ?? (await storedState(target));
    const started = performance.now();
    let answer: Answer;
    try {
      const response = await fetch(`${target.url}${request.target}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.answerBoundMs + 15_000),
      });
      answer = { status: response.status, text: await response.text() };
    } catch (error) {
      answer = { status: 0, text: `no answer: ${(error as Error).message}` };
    }
    const ms = performance.now() - started;
    latenciesMs.push(ms);
    statuses[String(answer.status)] = (statuses[String(answer.status)] ?? 0) + 1;
    routes[request.route] = (routes[request.route] ?? 0) + 1;
    const fail = (reason: string) => {
      failures.push({ reason, request, status: answer.status, answer: answer.text.slice(0, 500) });
      log(`fuzz: ${reason}: ${request.method} ${request.target.slice(0, 200)} → ${answer.status}`);
    };
    if (answer.status === 0 || answer.status >= 500) fail(`answered ${answer.status || 'nothing'}`);
    if (ms > options.answerBoundMs)
      fail(`answered in ${Math.round(ms)} ms (bound ${options.answerBoundMs} ms)`);
    if (answer.status >= 400 && answer.status < 500) {
      const after = await storedState(target);
      const changed = differences(before, after);
      if (changed.length > 0)
        fail(`refused (${answer.status}) yet changed ${changed.slice(0, 5).join('; ')}`);
      known = after;
    } else {
      known = undefined;
    }
  };

  // First the edges of every route, each once (random runs reach them only now and then), then the runs.
  for (const request of edgeCases(api, fx)) await check(request);
  await fc.assert(fc.asyncProperty(requests(api, fx), check), {
    seed: options.seed,
    numRuns: options.runs,
    endOnFailure: true,
  });
  return { requests: latenciesMs.length, statuses, routes, latenciesMs, failures };
}
