import { createHash, createHmac } from 'node:crypto';
import {
  DescribeKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListAliasesCommand,
  SignCommand,
  type SignCommandInput,
} from '@aws-sdk/client-kms';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { readKmsEvents } from '../../local/kms/request-log';
import { stack } from '../support/api';
import { CITY, post, toSign } from '../support/flow';

/*
 * Each local function runs with its own role's credentials, and the KMS emulator decides every request
 * with the CDK stack's key policies and the roles' IAM policies, as KMS would: the `signing` function's own
 * credentials sign timestamps with the TSA key and nothing with an official's key; no function's role, nor
 * the operator, signs with a personal key. Unsigned and mis-signed requests are refused before any of it.
 */

type Who = 'operator' | 'signing' | 'signer' | 'documents' | 'certificateAuthority' | 'signatureActivation';

function credentialsOf(who: Who) {
  if (who === 'operator') {
    const env = stack().environment;
    return { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' };
  }
  const fn = stack().functions[who];
  if (!fn) throw new Error(`no function ${who} in the stack`);
  return fn.credentials;
}

const kmsAs = (who: Who | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  new KMSClient({
    endpoint: stack().services.kms,
    region: stack().environment.AWS_REGION,
    credentials: typeof who === 'string' ? credentialsOf(who) : who,
    maxAttempts: 1,
  });

const alias = (name: string) => `alias/docflow/local/${name}`;
const digest = new Uint8Array(32).fill(1);
const signDigest = (keyId: string, overrides: Partial<SignCommandInput> = {}): SignCommandInput => ({
  KeyId: keyId,
  Message: digest,
  MessageType: 'DIGEST',
  SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
  ...overrides,
});

async function outcome(who: Who, input: SignCommandInput | (() => Promise<unknown>)): Promise<string> {
  const client = kmsAs(who);
  try {
    await (typeof input === 'function' ? input() : client.send(new SignCommand(input)));
    return 'allowed';
  } catch (error) {
    return (error as Error).name;
  } finally {
    client.destroy();
  }
}

/** SHA-256 (or its HMAC) as @smithy/signature-v4 wants it. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key =
      secret === undefined
        ? undefined
        : typeof secret === 'string'
          ? secret
          : Buffer.from(secret as ArrayBuffer);
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {}
}

/** An official's key exists once a signature of theirs is prepared (the authority creates it then). */
async function officialKey(): Promise<string> {
  const id = await toSign(CITY);
  await post(CITY.signer, `/api/documents/${id}/signature-requests`, CITY.capacity ?? {});
  return alias(`official/${CITY.signer}`);
}

describe('each function has its own identity', () => {
  it('one role per function, credentials in its own environment only', () => {
    const functions = stack().functions;
    const names = [
      'system',
      'directory',
      'documents',
      'signing',
      'inbox',
      'signatureActivation',
      'pki',
      'audit',
    ];
    // CloudFormation's generated names, or a fixed one where run-time key policies name the role.
    for (const name of [
      ...names,
      'certificateAuthority',
      'signer',
      'treeHeadPublisher',
      'transparencySequencer',
    ])
      expect(functions[name]?.roleArn, name).toMatch(
        /^arn:aws:iam::000000000000:role\/(Docflow-local-|docflow-local-(signing|certificate-authority)$)/,
      );
    const keys = new Set(Object.values(functions).map((fn) => fn.credentials.accessKeyId));
    expect(keys.size).toBe(Object.keys(functions).length);
    expect(new Set(Object.values(functions).map((fn) => fn.roleArn)).size).toBe(
      Object.keys(functions).length,
    );
    for (const fn of Object.values(functions)) {
      expect(fn.environment.AWS_ACCESS_KEY_ID).toBe(fn.credentials.accessKeyId);
      expect(fn.environment.AWS_SESSION_TOKEN).toBe(fn.credentials.sessionToken);
    }
    // As the template gives them: a function learns the names of the resources it may use, no others.
    expect(functions.documents?.environment.DOCFLOW_ACTIVATION_TABLE).toBeUndefined();
    expect(functions.signer?.environment.DOCFLOW_ACTIVATION_TABLE).toBe('docflow-SignatureActivation');
    expect(functions.signer?.environment.DOCFLOW_VIEWS_TABLE).toBeUndefined();
    expect(functions.signing?.environment.DOCFLOW_SIGNER_FUNCTION).toBe('signer');
    expect(
      JSON.parse(functions.certificateAuthority?.environment.DOCFLOW_RUN_TIME_KEY_PRINCIPALS ?? '{}'),
    ).toMatchObject({
      account: 'arn:aws:iam::000000000000:root',
    });
  });
});

describe('kms:Sign with a function’s own credentials', () => {
  it('signing signs digests with the TSA key, as its role allows, and only digests with the one algorithm', async () => {
    expect(await outcome('signing', signDigest(alias('tsa')))).toBe('allowed');
    expect(await outcome('signing', signDigest(alias('tsa'), { MessageType: 'RAW' }))).toBe(
      'AccessDeniedException',
    );
    expect(
      await outcome('signing', signDigest(alias('tsa'), { SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
    ).toBe('AccessDeniedException');
  });

  it('signing is refused the root CA key, and the authority the TSA key', async () => {
    expect(await outcome('signing', signDigest(alias('ca-root')))).toBe('AccessDeniedException');
    expect(await outcome('certificateAuthority', signDigest(alias('ca-root')))).toBe('allowed');
    expect(await outcome('certificateAuthority', signDigest(alias('tsa')))).toBe('AccessDeniedException');
  });

  it("the signing function's own credentials are refused kms:Sign on an official's key; so is every other role's, and the operator's", async () => {
    const key = await officialKey();
    const started = new Date(Date.now() - 1000);
    for (const who of [
      'signing',
      'signer',
      'certificateAuthority',
      'signatureActivation',
      'documents',
      'operator',
    ] as const)
      expect(await outcome(who, signDigest(key)), who).toBe('AccessDeniedException');
    // What signing may do with it: read its public key (to embed its certificate chain and check the signature).
    const signing = kmsAs('signing');
    try {
      const { KeySpec } = await signing.send(new GetPublicKeyCommand({ KeyId: key }));
      expect(KeySpec).toBe('RSA_2048');
    } finally {
      signing.destroy();
    }
    // The refusals are in the KMS request log, each with the role session that asked.
    // Only these callers' events: an earlier test's signature, made for the holder through the signer's
    // holder-scoped session moments before, may fall in the same second.
    const refused = (await readKmsEvents(stack().dataDir, { eventName: 'Sign', since: started })).filter(
      (e) =>
        e.requestParameters?.keyId === key &&
        !/assumed-role\/docflow-local-signer-session\//.test(e.userIdentity.arn ?? ''),
    );
    expect(refused.map((e) => e.errorCode)).toEqual(Array(6).fill('AccessDeniedException'));
    expect(refused[0]?.userIdentity.arn).toMatch(
      /^arn:aws:sts::000000000000:assumed-role\/docflow-local-signing\/signing$/,
    );
    expect(refused[0]?.errorMessage).toMatch(
      /is not authorized to perform: kms:Sign on resource: arn:aws:kms:/,
    );
    expect(refused[0]?.resources[0]?.ARN).toMatch(/^arn:aws:kms:ap-southeast-1:000000000000:key\//);
  });

  it('a function without keys may not even read one; the health probe may only list aliases', async () => {
    expect(
      await outcome('documents', () =>
        kmsAs('documents').send(new DescribeKeyCommand({ KeyId: alias('tsa') })),
      ),
    ).toBe('AccessDeniedException');
    const system = stack().functions.system?.credentials;
    if (!system) throw new Error('no system function');
    const probe = kmsAs(system);
    try {
      await expect(probe.send(new ListAliasesCommand({}))).resolves.toBeDefined();
      await expect(probe.send(new DescribeKeyCommand({ KeyId: alias('tsa') }))).rejects.toThrow(
        /not authorized/,
      );
    } finally {
      probe.destroy();
    }
  });
});

describe('unsigned and mis-signed requests', () => {
  const describeTsa = JSON.stringify({ KeyId: alias('tsa') });

  it('a request without a signature is refused (MissingAuthenticationTokenException)', async () => {
    const response = await fetch(stack().services.kms, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.DescribeKey' },
      body: describeTsa,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('an unknown access key, a wrong secret, a wrong session token', async () => {
    const operator = credentialsOf('operator');
    const signing = credentialsOf('signing');
    const attempt = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
      outcomeWith(credentials);
    expect(await attempt({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' })).toBe(
      'UnrecognizedClientException',
    );
    expect(await attempt({ ...operator, secretAccessKey: `${operator.secretAccessKey}x` })).toBe(
      'InvalidSignatureException',
    );
    expect(await attempt({ ...signing, sessionToken: undefined })).toBe('UnrecognizedClientException');
    expect(await attempt({ ...signing, sessionToken: `${signing.sessionToken}x` })).toBe(
      'UnrecognizedClientException',
    );
    // Another function's secret with this one's access key.
    const documents = credentialsOf('documents');
    expect(await attempt({ ...signing, secretAccessKey: documents.secretAccessKey })).toBe(
      'InvalidSignatureException',
    );
    expect(await attempt(operator)).toBe('allowed');
  });

  async function outcomeWith(credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  }) {
    const client = kmsAs(credentials);
    try {
      await client.send(new DescribeKeyCommand({ KeyId: alias('tsa') }));
      return 'allowed';
    } catch (error) {
      return (error as Error).name;
    } finally {
      client.destroy();
    }
  }

  it('a request whose body was changed after signing; the same request unchanged is answered', async () => {
    const url = new URL(stack().services.kms);
    const signer = new SignatureV4({
      credentials: credentialsOf('operator'),
      region: stack().environment.AWS_REGION ?? '',
      service: 'kms',
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.DescribeKey',
      },
      body: describeTsa,
    });
    const send = (body: string) =>
      fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body }).then(
        async (r) => ({
          status: r.status,
          type: ((await r.json()) as { __type?: string }).__type,
        }),
      );
    expect(await send(describeTsa.replace('/tsa', '/tsx'))).toEqual({
      status: 400,
      type: 'InvalidSignatureException',
    });
    expect(await send(describeTsa)).toEqual({ status: 200, type: undefined });
  });
});

describe('Lambda Invoke', () => {
  const invoke = async (who: Who, functionName: string) => {
    const lambda = new LambdaClient({
      endpoint: stack().environment.AWS_ENDPOINT_URL_LAMBDA,
      region: stack().environment.AWS_REGION,
      credentials: credentialsOf(who),
      maxAttempts: 1,
    });
    try {
      const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: '{}' }));
      return out.FunctionError ? 'ran, and refused the event' : 'ran';
    } catch (error) {
      return (error as Error).name;
    } finally {
      lambda.destroy();
    }
  };

  it('only functions granted it may invoke the signer', async () => {
    expect(await invoke('documents', 'signer')).toBe('AccessDeniedException');
    expect(await invoke('signatureActivation', 'signer')).toBe('AccessDeniedException');
    expect(await invoke('signing', 'signer')).toBe('ran, and refused the event');
  });
});
