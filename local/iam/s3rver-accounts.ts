import { createRequire } from 'node:module';
import type { IamStore } from './identities';

/*
 * s3rver accepts only access keys it knows (it does not check SigV4 signatures). Every identity the local
 * IAM issues (the operator's, each function's, STS sessions') is made known to it, so that each function
 * reaches S3 with its own credentials and the presigned URLs it hands out carry them.
 */

interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
}

export function shareCredentialsWithS3rver(iam: IamStore): void {
  const require = createRequire(import.meta.url);
  const account = (require('s3rver/lib/models/account.js') as { DUMMY_ACCOUNT: S3rverAccount }).DUMMY_ACCOUNT;
  iam.onCredentials((identity) =>
    account.createKeyPair(identity.credentials.accessKeyId, identity.credentials.secretAccessKey),
  );
}
