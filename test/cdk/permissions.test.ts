import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buckets, tables } from '../../lambdas/deployment/resources';
import { functions, internalFunctions, routes } from '../../lambdas/routes';
import { type FunctionPermissions, permissions } from '../../lib/permissions';
import { streamConsumers } from '../../lib/stream-consumers';
import {
  asList,
  deployedFunctions,
  docflowStack,
  environmentOf,
  functionId,
  resources,
  roleStatements,
  type Statement,
  template,
} from './synth';

/*
 * Least privilege, checked on the synthesized policies of every function: explicit actions only, data
 * resources named, kms:Sign only where signing happens and never on every key.
 */

const t = template();
const statementsOf = (name: string) =>
  roleStatements(t, functionId(name)).filter((s) => s.Effect === 'Allow');
const actionsOf = (s: Statement) => asList(s.Action);
const logicalIdOf = (prefix: string) => {
  const all = [
    ...resources(t, 'AWS::DynamoDB::GlobalTable'),
    ...resources(t, 'AWS::S3::Bucket'),
    ...resources(t, 'AWS::KMS::Key'),
  ].filter(([id]) => id.startsWith(prefix));
  expect(all, prefix).toHaveLength(1);
  return (all[0] as [string, unknown])[0];
};
const tableId = (name: keyof typeof tables) => logicalIdOf(`Data${tables[name].id}`);
const bucketId = (name: keyof typeof buckets) => logicalIdOf(`Files${buckets[name].id}`);

/** Every (action, resource) pair a function is allowed, resources as JSON. */
function grants(name: string): { action: string; resource: string; statement: Statement }[] {
  return statementsOf(name).flatMap((statement) =>
    actionsOf(statement).flatMap((action) =>
      asList(statement.Resource).map((resource) => ({
        action,
        resource: JSON.stringify(resource),
        statement,
      })),
    ),
  );
}
const can = (name: string, action: string, resourceId?: string) =>
  grants(name).some(
    (g) => g.action === action && (resourceId === undefined || g.resource.includes(resourceId)),
  );

/** What a stream event source needs on its table's stream. */
const STREAM_READ = new Set([
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
  'cloudtrail:LookupEvents',
]);

/** Actions that have no resource-level scoping, the only ones allowed on Resource "*". */
const RESOURCELESS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'kms:ListAliases',
  'kms:CreateKey',
  'dynamodb:ListStreams',
  'cloudtrail:LookupEvents',
]);

describe('the permission map (lib/permissions.ts)', () => {
  it('has an entry for every function in lambdas/routes.ts and lib/stream-consumers.ts', () => {
    const missing = Object.keys(deployedFunctions).filter((name) => !(name in permissions));
    expect(missing, 'functions without a line in lib/permissions.ts').toEqual([]);
  });

  it('every route belongs to a deployed function', () => {
    const deployed = new Set(Object.keys(functions));
    expect(routes.filter((r) => !deployed.has(r.function))).toEqual([]);
  });
});

describe.each(Object.keys(deployedFunctions))('function %s', (name) => {
  const entry: FunctionPermissions = (permissions as Record<string, FunctionPermissions>)[name] ?? {};

  it('has explicit actions only: no wildcard in any action', () => {
    const wild = grants(name).filter((g) => g.action.includes('*'));
    expect(wild.map((g) => g.action)).toEqual([]);
  });

  it('uses Resource "*" only for actions that have no resource', () => {
    const star = grants(name).filter((g) => g.resource === '"*"');
    expect(star.map((g) => g.action).filter((a) => !RESOURCELESS.has(a))).toEqual([]);
  });

  it('can use kms:Sign only if its entry says so, never on every key, digests only, one algorithm', () => {
    const sign = statementsOf(name).filter((s) => actionsOf(s).includes('kms:Sign'));
    expect(sign.length > 0).toBe((entry.signWith ?? []).length > 0);
    for (const s of sign) {
      expect(actionsOf(s)).toEqual(['kms:Sign']);
      expect(asList(s.Resource)).not.toContain('*');
      expect(s.Condition?.StringEquals).toMatchObject({
        'kms:MessageType': 'DIGEST',
        // Activation data are JWS ES256, whatever the documents' key spec.
        'kms:SigningAlgorithm':
          name === 'signatureActivation' ? 'ECDSA_SHA_256' : 'RSASSA_PKCS1_V1_5_SHA_256',
      });
      // A wildcard key ARN is allowed only for run-time keys selected by their tags.
      const wildcardKeys = asList(s.Resource).some((r) => JSON.stringify(r).includes('key/*'));
      if (wildcardKeys) {
        expect(s.Condition?.StringEquals?.['aws:ResourceTag/docflow:stage']).toBe('dev');
        const purposes = asList(s.Condition?.StringEquals?.['aws:ResourceTag/docflow:purpose'] as string[]);
        expect(purposes.length).toBeGreaterThan(0);
        expect(purposes.every((p) => p === 'seal' || p === 'official')).toBe(true);
      }
    }
  });

  it('touches only the tables and buckets its entry names (a stream consumer also reads its stream)', () => {
    const source = (streamConsumers as Record<string, { table: keyof typeof tables }>)[name]?.table;
    for (const table of Object.keys(tables) as (keyof typeof tables)[]) {
      const named = entry.tables?.[table] !== undefined;
      const touched = grants(name).some(
        (g) =>
          g.action.startsWith('dynamodb:') &&
          g.resource.includes(tableId(table)) &&
          !(table === source && STREAM_READ.has(g.action) && g.resource.includes('StreamArn')),
      );
      expect(touched, `${name} → ${table} table`).toBe(named);
    }
    for (const b of Object.keys(buckets) as (keyof typeof buckets)[]) {
      const named = entry.buckets?.[b] !== undefined;
      const touched = grants(name).some(
        (g) => g.action.startsWith('s3:') && g.resource.includes(bucketId(b)),
      );
      expect(touched, `${name} → ${b} bucket`).toBe(named);
    }
  });

  it('is told the names of exactly the tables and buckets it may use', () => {
    const env = environmentOf(t, functionId(name));
    for (const [table, spec] of Object.entries(tables)) {
      expect(spec.env in env, `${name}: ${spec.env}`).toBe(
        entry.tables?.[table as keyof typeof tables] !== undefined,
      );
    }
    for (const [b, spec] of Object.entries(buckets)) {
      expect(spec.env in env, `${name}: ${spec.env}`).toBe(
        entry.buckets?.[b as keyof typeof buckets] !== undefined,
      );
    }
  });

  it('never scans, and never updates or deletes an event of the circulation log', () => {
    expect(can(name, 'dynamodb:Scan')).toBe(false);
    for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
      expect(can(name, action, tableId('log')), action).toBe(false);
    }
  });

  it('never deletes from the archive, and uses the data keys only through DynamoDB and S3', () => {
    expect(can(name, 's3:DeleteObject', bucketId('archive'))).toBe(false);
    const dataKeys = [logicalIdOf('DataKey'), logicalIdOf('ArchiveKey')];
    for (const s of statementsOf(name).filter((s) =>
      dataKeys.some((key) => JSON.stringify(s.Resource).includes(key)),
    )) {
      // The stream event source's own grant (aws-cdk-lib): reading the stream of a table under the data
      // key. It carries no kms:ViaService, and allows nothing but Decrypt and DescribeKey.
      if (name in streamConsumers && !s.Condition) {
        expect(actionsOf(s).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
        continue;
      }
      const via = asList(s.Condition?.StringEquals?.['kms:ViaService'] as string[]);
      expect(via.length).toBeGreaterThan(0);
      expect(via.every((v) => /^(dynamodb|s3)\./.test(JSON.stringify(v).replace(/^"/, '')))).toBe(true);
    }
  });
});

describe('the archive’s own key', () => {
  it('only functions that touch the archive may use it, through S3 only', () => {
    const archiveKey = logicalIdOf('ArchiveKey');
    for (const name of Object.keys(deployedFunctions)) {
      const uses = statementsOf(name).filter((s) => JSON.stringify(s.Resource).includes(archiveKey));
      const entry = (permissions as Record<string, FunctionPermissions>)[name];
      // Listing needs no key; reading or writing objects does.
      const touches = (entry?.buckets?.archive ?? []).some((access) => access !== 'list');
      expect(uses.length > 0, name).toBe(touches);
      for (const s of uses) {
        expect(asList(s.Condition?.StringEquals?.['kms:ViaService'] as string[]), name).toEqual([
          's3.ap-southeast-1.amazonaws.com',
        ]);
      }
    }
  });
});

describe('what each of today’s functions may do', () => {
  it('system probes without reading: DescribeTable, ListBucket, ListAliases, nothing else on data', () => {
    const data = grants('system').filter((g) => /^(dynamodb|s3|kms):/.test(g.action));
    expect(new Set(data.map((g) => g.action))).toEqual(
      new Set(['dynamodb:DescribeTable', 's3:ListBucket', 'kms:ListAliases']),
    );
  });

  it('directory writes the directory table, its idempotency records and, for departures, documents only, and signs nothing', () => {
    const writes = grants('directory').filter((g) =>
      /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(g.action),
    );
    // A departure hands documents over (issue 19): an event appended to each log, its views moved.
    for (const g of writes)
      expect(g.resource).toMatch(
        new RegExp(`${tableId('directory')}|${tableId('idempotency')}|${tableId('log')}|${tableId('views')}`),
      );
    // The log only ever gains events: no update or delete there.
    expect(
      writes.filter((g) => g.resource.includes(tableId('log')) && !g.action.startsWith('dynamodb:PutItem')),
    ).toEqual([]);
    expect(
      grants('directory').filter(
        (g) =>
          g.action.startsWith('kms:') &&
          !g.resource.includes('DataKey') &&
          !g.resource.includes('ArchiveKey'),
      ),
    ).toEqual([]);
  });

  it('directory puts and reads signature images in intake and archive only, and deletes no object', () => {
    const s3 = grants('directory').filter((g) => g.action.startsWith('s3:'));
    expect(new Set(s3.map((g) => g.action))).toEqual(
      new Set(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject']),
    );
    for (const g of s3)
      expect(g.resource).toMatch(new RegExp(`${bucketId('intake')}|${bucketId('archive')}`));
    expect(can('directory', 's3:PutObject', bucketId('archive'))).toBe(true);
    expect(can('directory', 's3:GetObject', bucketId('intake'))).toBe(true);
    expect(can('directory', 's3:PutObject', bucketId('pki'))).toBe(false);
  });

  it('inbox writes nothing', () => {
    for (const name of ['inbox']) {
      const writes = grants(name).filter((g) =>
        /^(dynamodb:(Put|Update|Delete|BatchWrite)|s3:(Put|Delete)|kms:(Sign|Create|Tag))/.test(g.action),
      );
      expect(
        writes.map((g) => g.action),
        name,
      ).toEqual([]);
    }
  });

  it('documents appends to the log and keeps idempotency records, but holds no key and writes no revision', () => {
    expect(can('documents', 'dynamodb:PutItem', tableId('log'))).toBe(true);
    expect(can('documents', 'dynamodb:PutItem', tableId('idempotency'))).toBe(true);
    expect(can('documents', 'dynamodb:UpdateItem', tableId('idempotency'))).toBe(true);
    expect(can('documents', 's3:PutObject', bucketId('intake'))).toBe(true);
    expect(can('documents', 's3:PutObject', bucketId('archive'))).toBe(false);
    expect(grants('documents').filter((g) => /^kms:(Sign|GetPublicKey|Create)/.test(g.action))).toEqual([]);
    expect(grants('documents').filter((g) => g.action === 'lambda:InvokeFunction')).toEqual([]);
  });

  it('signing writes revisions and signs with the TSA key only: never a seal, official or CA key', () => {
    expect(can('signing', 's3:PutObject', bucketId('archive'))).toBe(true);
    expect(can('signing', 's3:GetObject', bucketId('intake'))).toBe(true);
    expect(can('signing', 'kms:Sign', logicalIdOf('SigningKeysTsaKey'))).toBe(true);
    expect(can('signing', 'kms:Sign', logicalIdOf('SigningKeysCaRootKey'))).toBe(false);
    expect(can('signing', 'kms:Sign', logicalIdOf('SigningKeysTransparencyKey'))).toBe(false);
    expect(can('signing', 'kms:CreateKey')).toBe(false);
    expect(grants('signing').some((g) => g.action === 'kms:Sign' && g.resource.includes('key/*'))).toBe(
      false,
    );
    // Certificates and keys come from the authority, signature values from the signer, the PDF of a Word
    // draft from the converter: those three only.
    const invokes = grants('signing').filter((g) => g.action === 'lambda:InvokeFunction');
    expect(invokes.map((g) => g.resource).sort()).toEqual([
      expect.stringMatching(/^\{"Fn::GetAtt":\["CertificateAuthorityFunction[0-9A-F]+","Arn"\]\}$/),
      expect.stringMatching(/^\{"Fn::GetAtt":\["SignerFunction[0-9A-F]+","Arn"\]\}$/),
      expect.stringMatching(/^\{"Fn::GetAtt":\["WordConverterFunction[0-9A-F]+","Arn"\]\}$/),
    ]);
  });

  it('the Word converter reads and writes the intake bucket only: no table, no key, not the archive', () => {
    const actions = grants('wordConverter').map((g) => g.action);
    expect(actions.filter((a) => a.startsWith('s3:')).length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('kms:Sign'))).toEqual([]);
    expect(grants('wordConverter').some((g) => g.resource.toLowerCase().includes('archive'))).toBe(false);
  });

  it('the certificate authority signs with the CA key only and reads the public keys it certifies', () => {
    const ca = logicalIdOf('SigningKeysCaRootKey');
    const tsa = logicalIdOf('SigningKeysTsaKey');
    expect(can('certificateAuthority', 'kms:Sign', ca)).toBe(true);
    expect(can('certificateAuthority', 'kms:Sign', tsa)).toBe(false);
    expect(can('certificateAuthority', 'kms:GetPublicKey', tsa)).toBe(true);
    expect(
      grants('certificateAuthority').some((g) => g.action === 'kms:Sign' && g.resource.includes('key/*')),
    ).toBe(false);
    // It parses no upload: no intake, no archive, no log.
    expect(grants('certificateAuthority').filter((g) => g.action.startsWith('s3:Get'))).toEqual([]);
    expect(can('certificateAuthority', 'dynamodb:PutItem', tableId('log'))).toBe(false);
  });

  it('pki and audit sign with no CA key any more: they ask the authority', () => {
    const ca = logicalIdOf('SigningKeysCaRootKey');
    for (const name of ['pki', 'audit', 'documents', 'signing', 'directory', 'inbox']) {
      expect(can(name, 'kms:Sign', ca), name).toBe(false);
    }
    expect(can('audit', 'kms:Sign', logicalIdOf('SigningKeysTransparencyKey'))).toBe(true);
  });

  it('only functions whose entry says so may create keys', () => {
    for (const name of Object.keys(deployedFunctions)) {
      const entry = (permissions as Record<string, FunctionPermissions>)[name];
      expect(can(name, 'kms:CreateKey'), name).toBe(entry?.provisionKeys === true);
    }
  });
});

describe('a function without an entry', () => {
  const { stack } = docflowStack({
    catalogue: {
      functions: { ...functions, newcomer: { entry: 'lambdas/handlers/system.ts', description: 'no entry' } },
      routes,
      internalFunctions,
      permissions,
    },
  });
  const withNewcomer = Template.fromStack(stack);

  it('gets no data permissions: only its own logs and X-Ray', () => {
    const statements = roleStatements(withNewcomer, 'NewcomerFunction');
    expect(new Set(statements.flatMap(actionsOf))).toEqual(
      new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
      ]),
    );
  });

  it('is flagged at synth', () => {
    Annotations.fromStack(stack).hasWarning(
      '/Docflow-dev/NewcomerFunction',
      Match.stringLikeRegexp('no entry in lib/permissions.ts'),
    );
  });
});
