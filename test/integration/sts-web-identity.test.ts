import type { webcrypto } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMINISTRATOR_ACCESS, type Credentials, IamStore, type Identity } from '../../local/iam/identities';
import { startSts } from '../../local/iam/sts';
import { startKmsEmulator } from '../../local/kms/emulator';
import { readKmsEvents } from '../../local/kms/request-log';

/*
 * The local STS and the KMS emulator with IAM, as the signer uses them, against an OpenID issuer this test
 * serves itself (discovery document and JWK set over HTTP): a web identity token from a registered issuer
 * gets credentials tagged with the token's holder, which sign with a key tagged with that holder and no
 * other; expired, mis-addressed, foreign and unsigned tokens get none. Its own IAM, STS and KMS, in this
 * process, with a clock it can move.
 */

const REGION = 'ap-southeast-1';
const AUDIENCE = 'test-signer';
const ROLE = 'test-signer-session';
const HOLDER_TAG = 'test:holder';

let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);

interface Issuer {
  readonly url: string;
  readonly kid: string;
  readonly privateKey: webcrypto.CryptoKey;
  readonly server: Server;
}

/** An OpenID issuer: discovery document and JWK set, on a free port; `published` false serves no keys. */
async function startIssuer(): Promise<Issuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = `k-${Math.random().toString(36).slice(2, 8)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server = createServer((request, response) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/issuer`;
    const body =
      request.url === '/issuer/.well-known/openid-configuration'
        ? { issuer: base, jwks_uri: `${base}/jwks.json` }
        : request.url === '/issuer/jwks.json'
          ? { keys: [jwk] }
          : undefined;
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/issuer`;
  return { url, kid, privateKey, server };
}

interface TokenOptions {
  readonly issuer?: Issuer;
  readonly signingKey?: webcrypto.CryptoKey;
  readonly audience?: string;
  readonly subject?: string;
  readonly holder?: string;
  readonly expiresInSeconds?: number;
}

let issuer: Issuer;
let unregistered: Issuer;

async function token(options: TokenOptions = {}): Promise<string> {
  const from = options.issuer ?? issuer;
  const at = Math.floor(now().getTime() / 1000);
  return new SignJWT({
    ...(options.holder
      ? { 'https://aws.amazon.com/tags': { principal_tags: { [HOLDER_TAG]: [options.holder] } } }
      : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: from.kid, typ: 'JWT' })
    .setIssuer(from.url)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject(options.subject ?? 'alice')
    .setIssuedAt(at - 5)
    .setExpirationTime(at + (options.expiresInSeconds ?? 300))
    .sign(options.signingKey ?? from.privateKey);
}

let dataDir: string;
let iam: IamStore;
let operator: Identity;
let stsUrl: string;
let kmsUrl: string;
const closers: (() => Promise<unknown>)[] = [];
const keyArns: Record<string, string> = {};

const kmsAs = (credentials: Credentials, config: { systemClockOffset?: number } = {}) =>
  new KMSClient({ endpoint: kmsUrl, region: REGION, credentials, maxAttempts: 1, ...config });
const sts = () => new STSClient({ endpoint: stsUrl, region: REGION, maxAttempts: 1 });

async function assume(webIdentityToken: string, sessionName = 'alice-session', durationSeconds = 900) {
  const client = sts();
  try {
    const out = await client.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: iam.roleArn(ROLE),
        RoleSessionName: sessionName,
        WebIdentityToken: webIdentityToken,
        DurationSeconds: durationSeconds,
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('no credentials');
    return {
      out,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      },
    };
  } finally {
    client.destroy();
  }
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: Error) => ({ name: error.name, message: error.message }),
  );

const digest = new Uint8Array(32).fill(7);
const sign = (client: KMSClient, holder: string) =>
  client.send(
    new SignCommand({
      KeyId: keyArns[holder],
      Message: digest,
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    }),
  );

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'docflow-sts-'));
  iam = new IamStore('000000000000', REGION, now);
  operator = iam.createUser('test-operator', [ADMINISTRATOR_ACCESS]);
  const stsServer = await startSts({ iam, host: '127.0.0.1' });
  stsUrl = stsServer.url;
  closers.push(() => stsServer.close());
  const kms = await startKmsEmulator({
    dataDir,
    host: '127.0.0.1',
    region: REGION,
    iam,
    now: () => now().getTime(),
  });
  kmsUrl = kms.url;
  closers.push(() => kms.close());
  issuer = await startIssuer();
  unregistered = await startIssuer();
  for (const server of [issuer.server, unregistered.server])
    closers.push(() => new Promise((done) => server.close(done)));

  // The operator registers the issuer and a role that trusts it, through IAM's own API.
  const admin = new IAMClient({ endpoint: stsUrl, region: REGION, credentials: operator.credentials });
  const { OpenIDConnectProviderArn } = await admin.send(
    new CreateOpenIDConnectProviderCommand({ Url: issuer.url, ClientIDList: [AUDIENCE], ThumbprintList: [] }),
  );
  const providerKey = issuer.url.replace(/^https?:\/\//, '');
  await admin.send(
    new CreateRoleCommand({
      RoleName: ROLE,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: OpenIDConnectProviderArn },
            Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
            Condition: {
              StringEquals: { [`${providerKey}:aud`]: AUDIENCE },
              StringLike: { [`${providerKey}:sub`]: ['alice', 'bob'] },
            },
          },
        ],
      }),
    }),
  );
  admin.destroy();

  // One key per holder, whose policy lets the role's sessions sign only for the holder they are tagged with.
  const operatorKms = kmsAs(operator.credentials);
  for (const holder of ['alice', 'bob']) {
    const created = await operatorKms.send(
      new CreateKeyCommand({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Tags: [{ TagKey: HOLDER_TAG, TagValue: holder }],
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Administration',
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::000000000000:root' },
              Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:PutKeyPolicy', 'kms:TagResource'],
              Resource: '*',
            },
            {
              Sid: 'SignForTheHolderOnly',
              Effect: 'Allow',
              Principal: { AWS: iam.roleArn(ROLE) },
              Action: 'kms:Sign',
              Resource: '*',
              Condition: {
                StringEquals: {
                  [`aws:ResourceTag/${HOLDER_TAG}`]: `\${aws:PrincipalTag/${HOLDER_TAG}}`,
                  'kms:MessageType': 'DIGEST',
                },
              },
            },
          ],
        }),
      }),
    );
    keyArns[holder] = created.KeyMetadata?.Arn ?? '';
  }
  operatorKms.destroy();
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('AssumeRoleWithWebIdentity with a token from a registered issuer', () => {
  it('gives credentials tagged with the holder: they sign with that holder’s key and are refused the other’s', async () => {
    const started = new Date(now().getTime() - 1000);
    const { out, credentials } = await assume(await token({ holder: 'alice' }));
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::000000000000:assumed-role/${ROLE}/alice-session`);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.Expiration?.getTime()).toBeGreaterThanOrEqual(now().getTime() + 890_000);
    expect(out.SubjectFromWebIdentityToken).toBe('alice');
    expect(out.Audience).toBe(AUDIENCE);

    const client = kmsAs(credentials);
    const identity = new STSClient({ endpoint: stsUrl, region: REGION, credentials });
    try {
      expect((await identity.send(new GetCallerIdentityCommand({}))).Arn).toBe(out.AssumedRoleUser?.Arn);
      const signed = await sign(client, 'alice');
      expect(signed.Signature?.length).toBeGreaterThan(60);
      const refused = await refusal(sign(client, 'bob'));
      expect(refused.name).toBe('AccessDeniedException');
      expect(refused.message).toBe(
        `User: ${out.AssumedRoleUser?.Arn} is not authorized to perform: kms:Sign on resource: ${keyArns.bob} because no resource-based policy allows the kms:Sign action`,
      );
      // Nor may the session do anything else with its own holder's key.
      expect((await refusal(client.send(new GetPublicKeyCommand({ KeyId: keyArns.alice })))).name).toBe(
        'AccessDeniedException',
      );
      // A raw message is not a digest: the key policy allows digests only.
      const raw = client.send(
        new SignCommand({
          KeyId: keyArns.alice,
          Message: digest,
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      expect((await refusal(raw)).name).toBe('AccessDeniedException');
    } finally {
      client.destroy();
      identity.destroy();
    }

    // The KMS request log records both, with who asked (and their holder tag) and never the message.
    const events = await readKmsEvents(dataDir, { eventName: 'Sign', since: started });
    const allowed = events.find((e) => e.resources[0]?.ARN === keyArns.alice && !e.errorCode);
    const refusedEvent = events.find((e) => e.resources[0]?.ARN === keyArns.bob);
    expect(allowed?.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: out.AssumedRoleUser?.Arn,
      principalTags: { [HOLDER_TAG]: 'alice' },
      sessionContext: { sessionIssuer: { arn: iam.roleArn(ROLE) } },
    });
    expect(allowed?.requestParameters).toEqual({
      keyId: keyArns.alice,
      messageType: 'DIGEST',
      signingAlgorithm: 'ECDSA_SHA_256',
    });
    expect(refusedEvent?.errorCode).toBe('AccessDeniedException');
    expect(refusedEvent?.userIdentity.principalTags).toEqual({ [HOLDER_TAG]: 'alice' });
    expect(JSON.stringify(events)).not.toContain(Buffer.from(digest).toString('base64'));
  });

  it("lets bob's session sign with bob's key only", async () => {
    const { credentials } = await assume(await token({ holder: 'bob', subject: 'bob' }), 'bob-session');
    const client = kmsAs(credentials);
    try {
      await expect(sign(client, 'bob')).resolves.toMatchObject({ SigningAlgorithm: 'ECDSA_SHA_256' });
      expect((await refusal(sign(client, 'alice'))).name).toBe('AccessDeniedException');
    } finally {
      client.destroy();
    }
  });

  it('gives a session without the holder tag credentials that sign with no holder’s key', async () => {
    const { credentials } = await assume(await token(), 'untagged');
    const client = kmsAs(credentials);
    try {
      expect((await refusal(sign(client, 'alice'))).name).toBe('AccessDeniedException');
    } finally {
      client.destroy();
    }
  });

  it('refuses the session once it has expired (ExpiredTokenException)', async () => {
    const { credentials } = await assume(await token({ holder: 'alice' }), 'short-lived');
    offsetMs = 901_000;
    const client = kmsAs(credentials, { systemClockOffset: offsetMs });
    try {
      const refused = await refusal(sign(client, 'alice'));
      expect(refused).toEqual({
        name: 'ExpiredTokenException',
        message: 'The security token included in the request is expired',
      });
    } finally {
      offsetMs = 0;
      client.destroy();
    }
  });
});

describe('AssumeRoleWithWebIdentity refuses', () => {
  const refused = async (tokenPromise: Promise<string>, sessionName = 'refused', durationSeconds = 900) =>
    refusal(assume(await tokenPromise, sessionName, durationSeconds));

  it('an expired token', async () => {
    const result = await refused(token({ holder: 'alice', expiresInSeconds: -60 }));
    expect(result.name).toBe('ExpiredTokenException');
    expect(result.message).toMatch(
      /^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/,
    );
  });

  it('a token for another audience', async () => {
    expect(await refused(token({ holder: 'alice', audience: 'docflow-web' }))).toEqual({
      name: 'InvalidIdentityTokenException',
      message: 'Incorrect token audience',
    });
  });

  it('a token from an issuer that is not a registered provider', async () => {
    const result = await refused(token({ holder: 'alice', issuer: unregistered }));
    expect(result).toEqual({
      name: 'InvalidIdentityTokenException',
      message: `No OpenIDConnect provider found in your account for ${unregistered.url}`,
    });
  });

  it('a token in the issuer’s name signed with a key it does not publish', async () => {
    const result = await refused(token({ holder: 'alice', signingKey: unregistered.privateKey }));
    expect(result.name).toBe('InvalidIdentityTokenException');
  });

  it('an unsigned token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const at = Math.floor(Date.now() / 1000);
    const claims = Buffer.from(
      JSON.stringify({ iss: issuer.url, aud: AUDIENCE, sub: 'alice', iat: at, exp: at + 300 }),
    ).toString('base64url');
    const result = await refused(Promise.resolve(`${header}.${claims}.`));
    expect(result.name).toBe('InvalidIdentityTokenException');
  });

  it('a subject the trust policy does not name (AccessDenied)', async () => {
    expect(await refused(token({ holder: 'alice', subject: 'mallory' }))).toEqual({
      name: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    });
  });

  it('a session shorter than 15 minutes', async () => {
    const result = await refused(token({ holder: 'alice' }), 'short', 600);
    expect(result.name).toBe('ValidationError');
  });

  it('a token whose issuer cannot be reached (IDPCommunicationError)', async () => {
    const gone = await startIssuer();
    const admin = new IAMClient({ endpoint: stsUrl, region: REGION, credentials: operator.credentials });
    await admin.send(new CreateOpenIDConnectProviderCommand({ Url: gone.url, ClientIDList: [AUDIENCE] }));
    admin.destroy();
    await new Promise((done) => gone.server.close(done));
    const result = await refused(token({ holder: 'alice', issuer: gone }));
    expect(result.name).toBe('IDPCommunicationErrorException');
  });
});

describe('IAM and STS refuse', () => {
  it('a web identity the operator did not sign for: registering a provider needs IAM credentials', async () => {
    const anonymous = new IAMClient({
      endpoint: stsUrl,
      region: REGION,
      credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' },
    });
    try {
      const result = await refusal(
        anonymous.send(
          new CreateOpenIDConnectProviderCommand({ Url: 'http://127.0.0.1:1/x', ClientIDList: ['a'] }),
        ),
      );
      expect(result.name).toBe('InvalidClientTokenId');
    } finally {
      anonymous.destroy();
    }
  });

  it('an IAM change by a session whose policies do not allow it (AccessDenied)', async () => {
    const { credentials } = await assume(await token({ holder: 'alice' }), 'iam-attempt');
    const client = new IAMClient({ endpoint: stsUrl, region: REGION, credentials });
    try {
      const result = await refusal(
        client.send(new CreateRoleCommand({ RoleName: 'escalation', AssumeRolePolicyDocument: '{}' })),
      );
      expect(result.name).toBe('AccessDenied');
      expect(result.message).toContain('is not authorized to perform: iam:CreateRole');
    } finally {
      client.destroy();
    }
  });
});
