import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { SIGNING_KEY_SPECS } from '../lambdas/deployment/resources';

/** The Lambda runtime matches the Node major the project pins for itself (package.json devDependency). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** CloudWatch Logs accepts only these retention periods; "never expire" is not one docflow allows. */
const LOG_RETENTION_DAYS = Object.values(RetentionDays).filter(
  (days): days is RetentionDays => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

/** Context values given with `-c key=value` arrive as strings; those in cdk.json keep their JSON type. */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lower-case DNS name');
const acmCertificateArn = (region: RegExp) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:acm:${region.source}:\\d{12}:certificate/[0-9a-f-]{36}$`));
const awsAccount = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');
const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region, e.g. ap-southeast-1');
const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean(),
);

/**
 * The default quota of asymmetric KMS cryptographic operations per second (RSA; ECC has its own, lower or
 * equal). Accounts differ: Service Quotas shows the account's value; set `kmsSignRequestsPerSecond`.
 */
const DEFAULT_KMS_SIGN_REQUESTS_PER_SECOND = 500;
/**
 * KMS Sign requests one running `signing` invocation can make per second at most: a PAdES B-T signature
 * is two Sign calls (the person's or seal's key, then the TSA's), and an invocation takes at least 200 ms
 * (PDF read, hash, two KMS round trips, archive write). 2 / 0.2 s = 10.
 */
export const KMS_SIGNS_PER_SECOND_PER_SIGNING_EXECUTION = 10;
/** Share of the KMS quota the `signing` function may take; the rest is for the CA, TSA and tree heads. */
export const SIGNING_SHARE_OF_KMS_QUOTA = 0.8;

/** The reserved concurrency that keeps `signing` within its share of the KMS quota. */
export function signingConcurrencyFor(kmsSignRequestsPerSecond: number): number {
  return Math.max(
    1,
    Math.floor(
      (kmsSignRequestsPerSecond * SIGNING_SHARE_OF_KMS_QUOTA) / KMS_SIGNS_PER_SECOND_PER_SIGNING_EXECUTION,
    ),
  );
}

/**
 * Everything that may differ between stages. Values come from the `stages.<stage>` block in cdk.json,
 * overridden by top-level context keys (`-c archiveRetentionYears=20`). Unknown keys are errors: a typo
 * in a retention period must not silently fall back to a default.
 */
const StageSettingsShape = z.object({
  /**
   * A production stage: everything a stage needs to keep records for years must be set (account, region,
   * a second region for backups, custom domains for TLS 1.2 and a closed execute-api endpoint, SES, an
   * alarm address). Synth fails naming each one missing.
   */
  production: flag.default(false),
  /** 12-digit account to pin the stack to; default (not in production): the deploying credentials' account. */
  account: awsAccount.optional(),
  /** Region to deploy to; default (not in production): the deploying credentials' region. */
  region: awsRegion.optional(),
  /**
   * Where copies survive the loss of the region (or the account): the archive is replicated into a bucket
   * with the same Object Lock there, and table backups are copied into a locked vault there. Without it,
   * nothing leaves the stack's region (allowed outside production only).
   */
  drRegion: awsRegion.optional(),
  /** Account of the copies; default: the stage's own account (then drRegion must differ from region). */
  drAccount: awsAccount.optional(),
  /** Years signed originals stay under Object Lock (COMPLIANCE): nobody, not even root, can shorten it. */
  archiveRetentionYears: integer(1, 100).default(10),
  /** Days daily table backups are kept; monthly ones are kept archiveRetentionYears. */
  backupRetentionDays: integer(7, 3650).default(35),
  /**
   * Vault Lock of the backup vaults: `compliance` (after a 3-day grace period nobody can delete a recovery
   * point early or unlock the vault, not even root) or `governance` (holders of the right IAM permission
   * can still remove the lock).
   */
  backupVaultLock: z.enum(['compliance', 'governance']).default('compliance'),
  /**
   * The IAM role (name, with its path if any) that alone may disable, schedule the deletion of, or change the
   * policy of the keys that protect long-lived data. It is not created by the stack: the city's security
   * officers create it, assumable with MFA only (docs/DEPLOY.md).
   */
  breakGlassRoleName: z
    .string()
    .regex(/^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, 'an IAM role name, with its path if any')
    .default('docflow-break-glass'),
  /** Key spec of the CA, seal and official keys; the signing algorithm follows from it. */
  keySpec: z.enum(SIGNING_KEY_SPECS).default('RSA_2048'),
  /**
   * Key spec of the TSA key, whose timestamps carry the archive evidence (PAdES B-LTA): an RSA-2048 key
   * holds only to 2030 (core/pki/evidence-horizon.ts), so a new stage gets RSA_3072 (ECC_NIST_P256 with an
   * ECC keySpec), which holds to 2035. A stage deployed with another TSA key keeps it by naming it here:
   * a changed spec is a new KMS key (docs/DEPLOY.md, The TSA key). Same signing algorithm as keySpec.
   */
  tsaKeySpec: z.enum(SIGNING_KEY_SPECS).optional(),
  /** The account's KMS quota of asymmetric requests per second (Service Quotas); sizes `signing`. */
  kmsSignRequestsPerSecond: integer(1, 100_000).default(DEFAULT_KMS_SIGN_REQUESTS_PER_SECOND),
  /**
   * Reserved concurrency of the `signing` function; default: what keeps it within its share of the KMS
   * quota (signingConcurrencyFor). Lower it where the account's Lambda concurrency is small (a new account
   * may have 10, and 10 must stay unreserved).
   */
  signingReservedConcurrency: integer(1, 10_000).optional(),
  /** CloudWatch Logs retention of function logs and API access logs. */
  logRetentionDays: z.coerce
    .number()
    .refine((days) => LOG_RETENTION_DAYS.includes(days), {
      message: `one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(365),
  /** Days S3 server access logs and CloudFront logs are kept (audit evidence of who read the archive). */
  accessLogRetentionDays: integer(1, 36_500).default(3653),
  /** Stage-wide HTTP API throttling: steady requests per second and burst. */
  apiRateLimit: integer(1, 10_000).default(100),
  apiBurstLimit: integer(1, 5_000).default(200),
  /** Custom domain of the web inbox; its certificate must be an ACM certificate in us-east-1 (CloudFront). */
  webDomainName: hostname.optional(),
  webCertificateArn: acmCertificateArn(/us-east-1/).optional(),
  /** Custom domain of the HTTP API; its certificate must be a regional ACM certificate. */
  apiDomainName: hostname.optional(),
  apiCertificateArn: acmCertificateArn(/[a-z]{2}(-gov)?-[a-z]+-\d/).optional(),
  /** Where alarm notifications go; without it alarms still fire and show in CloudWatch. */
  alarmEmail: z.email().optional(),
  /**
   * The address Cognito sends invitations and codes from, through SES (a verified identity, out of the SES
   * sandbox). Without it Cognito's own e-mail is used, which allows 50 messages a day: too few for
   * `directory:load`.
   */
  sesFromAddress: z.email().optional(),
  /** The sender's display name, e.g. `UBND thành phố Hà Nội`. */
  sesFromName: z.string().min(1).max(64).optional(),
  /** The SES identity is this verified domain (not the address itself). */
  sesVerifiedDomain: hostname.optional(),
  /** Region of the SES identity; default: the stack's region. */
  sesRegion: awsRegion.optional(),
  /** Prefix of the Cognito-hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`). */
  authDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'Cognito refuses aws, amazon and cognito in it')
    .optional(),
  /** Cognito feature plan: `plus` adds threat protection (compromised credentials, adaptive auth). */
  userPoolPlan: z.enum(['plus', 'essentials']).default('plus'),
  /** ISO 3166 countries CloudFront serves; default: everywhere (officials sign while travelling). */
  allowedCountries: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.split(',').map((c) => c.trim()) : value),
      z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
    )
    .optional(),
  /**
   * The national document exchange's endpoint for the city (the LGSP in front of the Trục liên thông văn
   * bản quốc gia), which the exchange functions send to and poll. Without it nothing leaves or comes in:
   * sends to external agencies stay pending.
   */
  exchangeUrl: z.url({ protocol: /^https$/ }).optional(),
  /**
   * External roots trusted beside the city's own (e.g. the official-duty CA's, PEM, concatenated), which
   * signatures on documents from outside chain to; given to every function (DOCFLOW_TRUSTED_ROOTS_PEM).
   * Lambda's environment holds 4 KB in all: two or three certificates.
   */
  trustedRootsPem: z
    .string()
    .regex(/^(\s*-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*)+$/)
    .optional(),
  /** A WAF web ACL (scope CLOUDFRONT, so created in us-east-1) to attach to the distribution. */
  webAclArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/)
    .optional(),
});

const StageSettingsSchema = StageSettingsShape.strict()
  .refine((s) => (s.webDomainName === undefined) === (s.webCertificateArn === undefined), {
    message: 'webDomainName and webCertificateArn go together',
  })
  .refine((s) => (s.apiDomainName === undefined) === (s.apiCertificateArn === undefined), {
    message: 'apiDomainName and apiCertificateArn go together',
  })
  .refine((s) => s.apiBurstLimit >= Math.min(s.apiRateLimit, 5_000), {
    message: 'apiBurstLimit below apiRateLimit would reject steady traffic in bursts',
  })
  .refine((s) => s.drAccount === undefined || s.drRegion !== undefined, {
    message: 'drAccount needs drRegion',
  })
  .refine(
    (s) =>
      s.drRegion === undefined ||
      s.drRegion !== s.region ||
      (s.drAccount !== undefined && s.drAccount !== s.account),
    { message: 'drRegion must differ from region, unless drAccount is another account' },
  )
  .refine(
    (s) =>
      s.signingReservedConcurrency === undefined ||
      s.signingReservedConcurrency <= signingConcurrencyFor(s.kmsSignRequestsPerSecond),
    {
      message: `signingReservedConcurrency above what kmsSignRequestsPerSecond allows (${KMS_SIGNS_PER_SECOND_PER_SIGNING_EXECUTION} requests/s per execution, ${SIGNING_SHARE_OF_KMS_QUOTA * 100}% of the quota)`,
    },
  );

/** The TSA key's spec: the configured one, or the stronger default of a new stage. */
export function tsaKeySpecOf(settings: Pick<StageSettings, 'keySpec' | 'tsaKeySpec'>): KeySpec {
  return settings.tsaKeySpec ?? (settings.keySpec === 'ECC_NIST_P256' ? 'ECC_NIST_P256' : 'RSA_3072');
}

/** What a production stage must set, and why. */
const PRODUCTION_REQUIRES: readonly (readonly [keyof StageSettings, string])[] = [
  ['account', 'the stage is pinned to one account, never to whatever credentials a shell has'],
  ['region', 'the stage is pinned to one region, never to whatever region a shell has'],
  ['drRegion', 'archive replicas and backup copies must survive the loss of the region'],
  ['webDomainName', 'only a custom domain lets CloudFront refuse TLS below 1.2'],
  ['apiDomainName', "CloudFront reaches the API on it, so the API's execute-api endpoint can be closed"],
  ['sesFromAddress', "Cognito's own e-mail sends 50 messages a day: invitations need SES"],
  ['alarmEmail', 'alarms must reach a person'],
];

/** Lower-case, short: it appears in key aliases, tags, resource names and bucket names. */
export const StageSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/, '2–12 lower-case letters, digits or dashes, e.g. dev, prod');

export type StageSettings = z.output<typeof StageSettingsSchema>;
export type KeySpec = StageSettings['keySpec'];

export interface StageConfig extends StageSettings {
  readonly stage: string;
}

const SETTING_KEYS = StageSettingsShape.keyof().options;

/**
 * Reads and validates the stage configuration from CDK context. Throws with every problem listed, so a bad
 * `-c` value stops `cdk synth` instead of deploying a stage with a default nobody chose.
 */
export function stageConfig(context: (key: string) => unknown): StageConfig {
  const stage = StageSchema.safeParse(context('stage') ?? 'dev');
  if (!stage.success) throw new Error(`docflow: invalid context "stage": ${z.prettifyError(stage.error)}`);
  const stages = z.record(z.string(), z.record(z.string(), z.unknown())).safeParse(context('stages') ?? {});
  if (!stages.success) throw new Error(`docflow: context "stages" must map stage names to settings objects`);

  const settings: Record<string, unknown> = { ...stages.data[stage.data] };
  for (const key of SETTING_KEYS) {
    const value = context(key);
    if (value !== undefined) settings[key] = value;
  }
  const parsed = StageSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new Error(`docflow: invalid settings for stage "${stage.data}":\n${z.prettifyError(parsed.error)}`);
  }
  if (signingAlgorithm(tsaKeySpecOf(parsed.data)) !== signingAlgorithm(parsed.data.keySpec)) {
    throw new Error(
      `docflow: invalid settings for stage "${stage.data}": tsaKeySpec ${tsaKeySpecOf(parsed.data)} signs with another algorithm than keySpec ${parsed.data.keySpec}; the stage signs with one algorithm`,
    );
  }
  if (parsed.data.production) {
    const missing = PRODUCTION_REQUIRES.filter(([key]) => parsed.data[key] === undefined);
    if (missing.length > 0) {
      throw new Error(
        `docflow: stage "${stage.data}" is a production stage and lacks settings (cdk.json stages.${stage.data}, or -c key=value):\n` +
          missing.map(([key, why]) => `  ✖ ${key}: ${why}`).join('\n'),
      );
    }
  }
  return { stage: stage.data, ...parsed.data };
}

/** The one signing algorithm each key spec is used with; key policies pin it with `kms:SigningAlgorithm`. */
export function signingAlgorithm(keySpec: KeySpec): 'RSASSA_PKCS1_V1_5_SHA_256' | 'ECDSA_SHA_256' {
  return keySpec === 'ECC_NIST_P256' ? 'ECDSA_SHA_256' : 'RSASSA_PKCS1_V1_5_SHA_256';
}
