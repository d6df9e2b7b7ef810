import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { HolderKeys } from '../ports/signature-authorization';

/*
 * The signer's way to a holder's key: STS exchanges the activation data for credentials of the signer
 * session role, tagged with the holder (docflow:holder), and only those credentials may use that holder's
 * key (its key policy compares the tags). The signer function's own role holds no kms:Sign at all.
 */

const stage = () => process.env.DOCFLOW_STAGE ?? 'dev';
const sessionRole = () => {
  const arn = process.env.DOCFLOW_SIGNER_SESSION_ROLE_ARN;
  if (!arn) throw new Error('DOCFLOW_SIGNER_SESSION_ROLE_ARN is not set');
  return arn;
};

/** `official:<id>` → `alias/docflow/<stage>/official/<id>` (the alias the authority gave the key). */
const keyAlias = (holder: string) => {
  const [kind, id] = holder.split(':');
  return `alias/docflow/${stage()}/${kind}/${id}`;
};

const signingAlgorithm = () =>
  (process.env.DOCFLOW_SIGNING_KEY_SPEC ?? 'RSA_2048').startsWith('RSA')
    ? 'RSASSA_PKCS1_V1_5_SHA_256'
    : 'ECDSA_SHA_256';

let sts: STSClient | undefined;

export const stsHolderKeys: HolderKeys = {
  async sign({ token, sessionName, holder, digest }) {
    sts ??= new STSClient({});
    const { Credentials } = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: sessionRole(),
        RoleSessionName: sessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64),
        WebIdentityToken: token,
        DurationSeconds: 900,
      }),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey)
      throw new Error('STS returned no credentials');
    // A client for this one signature: the credentials are the holder's session, used once.
    const kms = new KMSClient({
      credentials: {
        accessKeyId: Credentials.AccessKeyId,
        secretAccessKey: Credentials.SecretAccessKey,
        sessionToken: Credentials.SessionToken,
      },
    });
    try {
      const out = await kms.send(
        new SignCommand({
          KeyId: keyAlias(holder),
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: signingAlgorithm(),
        }),
      );
      if (!out.Signature) throw new Error('KMS returned no signature');
      return out.Signature;
    } finally {
      kms.destroy();
    }
  },
};
