import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { readKmsEvents } from '../../local/kms/request-log';
import { api, stack } from '../support/api';
import { authorize, CITY, post, type Signers, toSign } from '../support/flow';

/*
 * Sole control on the laptop, below the application (docs/SECURITY.md): the activation data the activation
 * function issues is a web identity token the local STS checks against the activation issuer the CDK stack
 * registers, and the holder-tagged credentials STS gives for it are the only ones the key policies let sign
 * with that holder's key. Official A's credentials are refused on official B's key; the KMS request log
 * shows each use with the holder who made it.
 */

const CHAIRMAN: Signers = { ...CITY, signer: 'city-chairman', capacity: { capacity: 'TM' } };
const alias = (personId: string) => `alias/docflow/local/official/${personId}`;
const digest = new Uint8Array(32).fill(9);

const operatorClient = () => {
  const env = stack().environment;
  return {
    endpoint: stack().services.dynamodb,
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
};

/** A prepared signature of `signers.signer` on a fresh document: its request id (and their key exists). */
async function prepared(signers: Signers): Promise<{ documentId: string; requestId: string }> {
  const documentId = await toSign(signers);
  const request = await post(
    signers.signer,
    `/api/documents/${documentId}/signature-requests`,
    signers.capacity,
  );
  return { documentId, requestId: request.requestId as string };
}

/** The activation data of an authorization, as the signer function reads it (the activation table). */
async function activationData(authorizationId: string): Promise<string> {
  const dynamo = new DynamoDBClient(operatorClient());
  try {
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: stack().environment.DOCFLOW_ACTIVATION_TABLE,
        Key: { pk: { S: `SAD#${authorizationId}` }, sk: { S: 'TOKEN' } },
        ConsistentRead: true,
      }),
    );
    const token = Item?.token?.S;
    if (!token) throw new Error(`no activation data for ${authorizationId}`);
    return token;
  } finally {
    dynamo.destroy();
  }
}

function sessionRole(): string {
  const arn = stack().functions.signer?.environment.DOCFLOW_SIGNER_SESSION_ROLE_ARN;
  if (!arn) throw new Error('the CDK stack gives the signer no DOCFLOW_SIGNER_SESSION_ROLE_ARN');
  return arn;
}

describe('activation data as a web identity', () => {
  it('is issued by the activation issuer the stack registers with IAM, whose discovery document is public', async () => {
    const discovery = await api<{ issuer: string; jwks_uri: string }>(
      'GET',
      '/api/signature-activation/.well-known/openid-configuration',
    );
    expect(discovery.status).toBe(200);
    expect(discovery.body.issuer).toBe(`${stack().url}/api/signature-activation`);
    const keys = await fetch(discovery.body.jwks_uri).then(
      (r) => r.json() as Promise<{ keys: { crv?: string }[] }>,
    );
    expect(keys.keys[0]?.crv).toBe('P-256');
  });

  it("gets credentials tagged with its holder from STS: they sign with the holder's key and are refused another official's", async () => {
    const a = await prepared(CITY);
    await prepared(CHAIRMAN);
    const authorization = await authorize(CITY.signer, [a.requestId]);
    const token = await activationData(authorization.authorizationId as string);
    const started = new Date(Date.now() - 1000);

    const sts = new STSClient({
      endpoint: stack().services.sts,
      region: stack().environment.AWS_REGION,
      maxAttempts: 1,
    });
    const { Credentials, AssumedRoleUser } = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: sessionRole(),
        RoleSessionName: 'integration-test',
        WebIdentityToken: token,
        DurationSeconds: 900,
      }),
    );
    sts.destroy();
    const kms = new KMSClient({
      endpoint: stack().services.kms,
      region: stack().environment.AWS_REGION,
      maxAttempts: 1,
      credentials: {
        accessKeyId: Credentials?.AccessKeyId ?? '',
        secretAccessKey: Credentials?.SecretAccessKey ?? '',
        sessionToken: Credentials?.SessionToken,
      },
    });
    const sign = (personId: string) =>
      kms.send(
        new SignCommand({
          KeyId: alias(personId),
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
        }),
      );
    try {
      await expect(sign(CITY.signer)).resolves.toMatchObject({
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      });
      await expect(sign(CHAIRMAN.signer)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      kms.destroy();
    }

    const events = (await readKmsEvents(stack().dataDir, { eventName: 'Sign', since: started })).filter(
      (e) => e.userIdentity.arn === AssumedRoleUser?.Arn,
    );
    expect(events.map((e) => [e.requestParameters?.keyId, e.errorCode ?? 'allowed'])).toEqual([
      [alias(CITY.signer), 'allowed'],
      [alias(CHAIRMAN.signer), 'AccessDeniedException'],
    ]);
    expect(events[0]?.userIdentity.principalTags).toEqual({ 'docflow:holder': `official:${CITY.signer}` });
    expect(events[0]?.userIdentity.sessionContext?.webIdFederationData?.federatedProvider).toBe(
      `arn:aws:iam::000000000000:oidc-provider/${stack().url.replace(/^http:\/\//, '')}/api/signature-activation`,
    );

    // The document is then signed through the signer with the same authorization.
    const view = await post(CITY.signer, `/api/documents/${a.documentId}/sign`, { requestId: a.requestId });
    expect(view.signatures).toHaveLength(1);
    const signerSign = (await readKmsEvents(stack().dataDir, { eventName: 'Sign', since: started })).find(
      (e) =>
        e.requestParameters?.keyId === alias(CITY.signer) &&
        e.userIdentity.arn?.endsWith(`/${authorization.authorizationId}`),
    );
    expect(signerSign?.errorCode).toBeUndefined();
    expect(signerSign?.userIdentity.principalTags).toEqual({ 'docflow:holder': `official:${CITY.signer}` });
  });

  it('is refused by STS for any role but the one that trusts the issuer, and when tampered with', async () => {
    const a = await prepared(CITY);
    const authorization = await authorize(CITY.signer, [a.requestId]);
    const token = await activationData(authorization.authorizationId as string);
    const sts = new STSClient({
      endpoint: stack().services.sts,
      region: stack().environment.AWS_REGION,
      maxAttempts: 1,
    });
    const assume = (roleArn: string, webIdentityToken: string) =>
      sts
        .send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: roleArn,
            RoleSessionName: 'integration-test',
            WebIdentityToken: webIdentityToken,
          }),
        )
        .then(
          () => 'allowed',
          (error: Error) => error.name,
        );
    try {
      expect(await assume(stack().functions.signing?.roleArn ?? '', token)).toBe('AccessDenied');
      const [header, claims, signature] = token.split('.');
      const forged = JSON.parse(Buffer.from(claims ?? '', 'base64url').toString('utf8'));
      forged['https://aws.amazon.com/tags'].principal_tags['docflow:holder'] = [
        `official:${CHAIRMAN.signer}`,
      ];
      const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
      expect(await assume(sessionRole(), tampered)).toBe('InvalidIdentityTokenException');
    } finally {
      sts.destroy();
    }
  });
});
