import { Runtime } from 'aws-cdk-lib/aws-lambda';

/** The Lambda runtime matches the Node major the project pins for itself (package.json devDependency). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** What differs between stages; read from CDK context (`-c stage=prod`) with safe defaults. */
export interface StageConfig {
  readonly stage: string;
  /** Years signed originals stay under Object Lock (COMPLIANCE). */
  readonly archiveRetentionYears: number;
  readonly keySpec: 'RSA_2048' | 'RSA_3072' | 'ECC_NIST_P256';
  readonly logRetentionDays: number;
}

export function stageConfig(context: (key: string) => unknown): StageConfig {
  const stage = String(context('stage') ?? 'dev');
  return {
    stage,
    archiveRetentionYears: Number(context('archiveRetentionYears') ?? 10),
    keySpec: (context('keySpec') as StageConfig['keySpec'] | undefined) ?? 'RSA_2048',
    logRetentionDays: Number(context('logRetentionDays') ?? 365),
  };
}
