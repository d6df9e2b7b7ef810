import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';

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

/**
 * Everything that may differ between stages. Values come from the `stages.<stage>` block in cdk.json,
 * overridden by top-level context keys (`-c archiveRetentionYears=20`). Unknown keys are errors: a typo
 * in a retention period must not silently fall back to a default.
 */
const StageSettingsShape = z.object({
  /** 12-digit account to pin the stack to; default: the deploying credentials' account. */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  /** Region to deploy to; default: the deploying credentials' region. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/)
    .optional(),
  /** Years signed originals stay under Object Lock (COMPLIANCE): nobody, not even root, can shorten it. */
  archiveRetentionYears: integer(1, 100).default(10),
  /** Key spec of the CA, TSA, seal and official keys; the signing algorithm follows from it. */
  keySpec: z.enum(['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256']).default('RSA_2048'),
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
  /** Prefix of the Cognito-hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`). */
  authDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'Cognito refuses aws, amazon and cognito in it')
    .optional(),
  /**
   * Lets the web client use the OAuth implicit grant (tokens returned in the URL fragment). Off by
   * default: the authorization code grant with PKCE is the safe flow for a browser app.
   */
  oauthImplicitGrant: z
    .preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean())
    .default(false),
  /** Cognito feature plan: `plus` adds threat protection (compromised credentials, adaptive auth). */
  userPoolPlan: z.enum(['plus', 'essentials']).default('plus'),
  /** ISO 3166 countries CloudFront serves; default: everywhere (officials sign while travelling). */
  allowedCountries: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.split(',').map((c) => c.trim()) : value),
      z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
    )
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
  });

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
  return { stage: stage.data, ...parsed.data };
}

/** The one signing algorithm each key spec is used with; key policies pin it with `kms:SigningAlgorithm`. */
export function signingAlgorithm(keySpec: KeySpec): 'RSASSA_PKCS1_V1_5_SHA_256' | 'ECDSA_SHA_256' {
  return keySpec === 'ECC_NIST_P256' ? 'ECDSA_SHA_256' : 'RSASSA_PKCS1_V1_5_SHA_256';
}
