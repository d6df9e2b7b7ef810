import { parseArgs } from 'node:util';
import { StageSchema } from '../lib/config';

/*
 * The CloudFormation execution policy for a stage: what the CDK bootstrap's execution role needs to create,
 * update and roll back docflow's stacks, and nothing that could destroy a long-lived key (the key policies
 * and the service control policy in docs/DEPLOY.md refuse that anyway). `npm run deploy-policy` prints it
 * for an account, its regions and a stage; docs/DEPLOY.md shows it for the example account, and
 * test/cdk/deploy-policy.test.ts checks it allows every action the synthesized templates need.
 */

export interface DeployPolicyOptions {
  readonly account: string;
  /** The stage's region and, if any, its recovery region (both are bootstrapped with this policy). */
  readonly regions: readonly string[];
  readonly stage: string;
  readonly partition?: string;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** Services that receive roles from docflow's stacks (functions, backups, replication, notifications). */
const PASSED_TO = [
  'lambda.amazonaws.com',
  'backup.amazonaws.com',
  's3.amazonaws.com',
  'events.amazonaws.com',
  'scheduler.amazonaws.com',
];

export function cloudFormationExecutionPolicy(options: DeployPolicyOptions): PolicyDocument {
  const p = options.partition ?? 'aws';
  const { account, stage } = options;
  const inRegions = (service: string, resource: string) =>
    options.regions.map((region) => `arn:${p}:${service}:${region}:${account}:${resource}`);
  // CloudFormation names what it names `<Stack>-<LogicalId>-<suffix>` (stacks `Docflow-<stage>` and
  // `Docflow-<stage>-recovery`); docflow names the rest `docflow-<stage>-…`.
  const generated = `Docflow-${stage}-*`;
  const named = `docflow-${stage}-*`;
  const statements: PolicyStatement[] = [
    {
      Sid: 'Roles',
      Effect: 'Allow',
      Action: [
        'iam:AttachRolePolicy',
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:PutRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
      ],
      Resource: [`arn:${p}:iam::${account}:role/${generated}`, `arn:${p}:iam::${account}:role/${named}`],
    },
    {
      // The activation function's issuer, which STS trusts for the signer session role (docs/SECURITY.md).
      Sid: 'SignatureActivationIssuer',
      Effect: 'Allow',
      Action: [
        'iam:AddClientIDToOpenIDConnectProvider',
        'iam:CreateOpenIDConnectProvider',
        'iam:DeleteOpenIDConnectProvider',
        'iam:GetOpenIDConnectProvider',
        'iam:ListOpenIDConnectProviderTags',
        'iam:RemoveClientIDFromOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
        'iam:UntagOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
      ],
      Resource: `arn:${p}:iam::${account}:oidc-provider/*`,
    },
    {
      Sid: 'PassRolesToTheirServices',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [`arn:${p}:iam::${account}:role/${generated}`, `arn:${p}:iam::${account}:role/${named}`],
      Condition: { StringEquals: { 'iam:PassedToService': PASSED_TO } },
    },
    {
      Sid: 'ServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'iam:AWSServiceName': [
            'ops.apigateway.amazonaws.com',
            'replication.dynamodb.amazonaws.com',
            'email.cognito-idp.amazonaws.com',
          ],
        },
      },
    },
    {
      Sid: 'Functions',
      Effect: 'Allow',
      Action: [
        'lambda:AddPermission',
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:DeleteFunctionConcurrency',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:GetRuntimeManagementConfig',
        'lambda:InvokeFunction',
        'lambda:ListTags',
        'lambda:PutFunctionConcurrency',
        'lambda:RemovePermission',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
      ],
      Resource: inRegions('lambda', `function:${generated}`),
    },
    {
      Sid: 'EventSourceMappings',
      Effect: 'Allow',
      Action: [
        'lambda:CreateEventSourceMapping',
        'lambda:DeleteEventSourceMapping',
        'lambda:GetEventSourceMapping',
        'lambda:ListTags',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:UpdateEventSourceMapping',
      ],
      // Mapping ids are UUIDs: nothing in them names the stage.
      Resource: '*',
    },
    {
      Sid: 'CdkBucketDeploymentLayer',
      Effect: 'Allow',
      Action: ['lambda:DeleteLayerVersion', 'lambda:GetLayerVersion', 'lambda:PublishLayerVersion'],
      Resource: inRegions('lambda', 'layer:*'),
    },
    {
      Sid: 'Assets',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: options.regions.map((region) => `arn:${p}:s3:::cdk-*-assets-${account}-${region}/*`),
    },
    {
      Sid: 'Tables',
      Effect: 'Allow',
      Action: [
        'dynamodb:BatchWriteItem',
        'dynamodb:CreateTable',
        'dynamodb:CreateTableReplica',
        'dynamodb:DeleteItem',
        'dynamodb:DeleteTable',
        'dynamodb:DescribeContinuousBackups',
        'dynamodb:DescribeContributorInsights',
        'dynamodb:DescribeKinesisStreamingDestination',
        'dynamodb:DescribeStream',
        'dynamodb:DescribeTable',
        'dynamodb:DescribeTimeToLive',
        'dynamodb:GetItem',
        'dynamodb:GetResourcePolicy',
        'dynamodb:ListTagsOfResource',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:UpdateContributorInsights',
        'dynamodb:UpdateItem',
        'dynamodb:UpdateTable',
        'dynamodb:UpdateTimeToLive',
      ],
      // Global tables (TableV2) are created through their replica: the handler writes and reads items of
      // the new replica to check it, hence the item actions.
      Resource: inRegions('dynamodb', `table/${generated}`),
    },
    {
      Sid: 'ListTables',
      Effect: 'Allow',
      Action: ['dynamodb:ListTables'],
      Resource: '*',
    },
    {
      Sid: 'Buckets',
      Effect: 'Allow',
      Action: [
        's3:CreateBucket',
        's3:DeleteBucket',
        's3:DeleteBucketPolicy',
        's3:GetBucketAcl',
        's3:GetBucketCORS',
        's3:GetBucketLocation',
        's3:GetBucketLogging',
        's3:GetBucketObjectLockConfiguration',
        's3:GetBucketOwnershipControls',
        's3:GetBucketPolicy',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketTagging',
        's3:GetBucketVersioning',
        's3:GetEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
        's3:GetReplicationConfiguration',
        's3:ListBucket',
        's3:PutBucketAcl',
        's3:PutBucketCORS',
        's3:PutBucketLogging',
        's3:PutBucketObjectLockConfiguration',
        's3:PutBucketOwnershipControls',
        's3:PutBucketPolicy',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketTagging',
        's3:PutBucketVersioning',
        's3:PutEncryptionConfiguration',
        's3:PutLifecycleConfiguration',
        's3:PutReplicationConfiguration',
      ],
      Resource: [`arn:${p}:s3:::${named}`],
    },
    {
      Sid: 'BootstrapVersion',
      Effect: 'Allow',
      // Every CDK template checks the bootstrap stack's version parameter.
      Action: ['ssm:GetParameters'],
      Resource: inRegions('ssm', 'parameter/cdk-bootstrap/*/version'),
    },
    {
      Sid: 'CreateKeys',
      Effect: 'Allow',
      // CreateKey has no resource. Not here, on purpose: DisableKey, ScheduleKeyDeletion (the key
      // policies and the service control policy refuse them to all but the break-glass role).
      Action: ['kms:CreateKey', 'kms:ListAliases'],
      Resource: '*',
    },
    {
      Sid: 'Keys',
      Effect: 'Allow',
      Action: [
        'kms:CreateAlias',
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:DeleteAlias',
        'kms:DescribeKey',
        'kms:EnableKey',
        'kms:EnableKeyRotation',
        'kms:GenerateDataKey',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:ListResourceTags',
        'kms:PutKeyPolicy',
        'kms:RetireGrant',
        'kms:RevokeGrant',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:UpdateAlias',
        'kms:UpdateKeyDescription',
      ],
      // kms:CreateGrant and kms:Decrypt: DynamoDB (tables under the data key) and AWS Backup (vaults under
      // their keys) are given grants by whoever creates the table or vault.
      Resource: [...inRegions('kms', 'key/*'), ...inRegions('kms', `alias/docflow/${stage}/*`)],
    },
    {
      Sid: 'Backups',
      Effect: 'Allow',
      Action: [
        'backup-storage:MountCapsule',
        'backup:CreateBackupPlan',
        'backup:CreateBackupSelection',
        'backup:CreateBackupVault',
        'backup:DeleteBackupPlan',
        'backup:DeleteBackupSelection',
        'backup:DeleteBackupVault',
        'backup:DeleteBackupVaultAccessPolicy',
        'backup:DescribeBackupVault',
        'backup:GetBackupPlan',
        'backup:GetBackupSelection',
        'backup:GetBackupVaultAccessPolicy',
        'backup:ListBackupPlans',
        'backup:ListBackupSelections',
        'backup:ListTags',
        'backup:PutBackupVaultAccessPolicy',
        'backup:PutBackupVaultLockConfiguration',
        'backup:TagResource',
        'backup:UntagResource',
        'backup:UpdateBackupPlan',
      ],
      // Plans and selections are named by generated ids; vaults by name.
      Resource: '*',
    },
    {
      Sid: 'UserPools',
      Effect: 'Allow',
      Action: [
        'cognito-idp:AddCustomAttributes',
        'cognito-idp:CreateGroup',
        'cognito-idp:CreateUserPoolClient',
        'cognito-idp:CreateUserPoolDomain',
        'cognito-idp:DeleteGroup',
        'cognito-idp:DeleteUserPoolClient',
        'cognito-idp:DeleteUserPoolDomain',
        'cognito-idp:DescribeRiskConfiguration',
        'cognito-idp:DescribeUserPool',
        'cognito-idp:DescribeUserPoolClient',
        'cognito-idp:DescribeUserPoolDomain',
        'cognito-idp:GetGroup',
        'cognito-idp:GetUserPoolMfaConfig',
        'cognito-idp:ListGroups',
        'cognito-idp:ListTagsForResource',
        'cognito-idp:SetRiskConfiguration',
        'cognito-idp:SetUserPoolMfaConfig',
        'cognito-idp:TagResource',
        'cognito-idp:UntagResource',
        'cognito-idp:UpdateGroup',
        'cognito-idp:UpdateUserPool',
        'cognito-idp:UpdateUserPoolClient',
        'cognito-idp:UpdateUserPoolDomain',
      ],
      Resource: inRegions('cognito-idp', 'userpool/*'),
    },
    {
      Sid: 'UserPoolCreateAndMail',
      Effect: 'Allow',
      // CreateUserPool has no resource; a pool that mails through SES checks its identity.
      Action: [
        'cognito-idp:CreateUserPool',
        'cognito-idp:DescribeUserPoolDomain',
        'ses:GetIdentityVerificationAttributes',
      ],
      Resource: '*',
    },
    {
      Sid: 'Api',
      Effect: 'Allow',
      Action: [
        'apigateway:DELETE',
        'apigateway:GET',
        'apigateway:PATCH',
        'apigateway:POST',
        'apigateway:PUT',
      ],
      Resource: options.regions.flatMap((region) => [
        `arn:${p}:apigateway:${region}::/apis`,
        `arn:${p}:apigateway:${region}::/apis/*`,
        `arn:${p}:apigateway:${region}::/domainnames`,
        `arn:${p}:apigateway:${region}::/domainnames/*`,
        `arn:${p}:apigateway:${region}::/tags/*`,
      ]),
    },
    {
      Sid: 'Cdn',
      Effect: 'Allow',
      Action: [
        'acm:DescribeCertificate',
        'cloudfront:CreateCachePolicy',
        'cloudfront:CreateDistribution',
        'cloudfront:CreateFunction',
        'cloudfront:CreateInvalidation',
        'cloudfront:CreateOriginAccessControl',
        'cloudfront:CreateResponseHeadersPolicy',
        'cloudfront:DeleteCachePolicy',
        'cloudfront:DeleteDistribution',
        'cloudfront:DeleteFunction',
        'cloudfront:DeleteOriginAccessControl',
        'cloudfront:DeleteResponseHeadersPolicy',
        'cloudfront:DescribeFunction',
        'cloudfront:GetCachePolicy',
        'cloudfront:GetDistribution',
        'cloudfront:GetDistributionConfig',
        'cloudfront:GetFunction',
        'cloudfront:GetInvalidation',
        'cloudfront:GetOriginAccessControl',
        'cloudfront:GetResponseHeadersPolicy',
        'cloudfront:ListTagsForResource',
        'cloudfront:PublishFunction',
        'cloudfront:TagResource',
        'cloudfront:UntagResource',
        'cloudfront:UpdateCachePolicy',
        'cloudfront:UpdateDistribution',
        'cloudfront:UpdateFunction',
        'cloudfront:UpdateOriginAccessControl',
        'cloudfront:UpdateResponseHeadersPolicy',
        'wafv2:GetWebACL',
      ],
      // CloudFront is global, its ids generated: nothing to scope by.
      Resource: '*',
    },
    {
      Sid: 'EventRules',
      Effect: 'Allow',
      Action: [
        'events:DeleteRule',
        'events:DescribeRule',
        'events:ListTagsForResource',
        'events:ListTargetsByRule',
        'events:PutRule',
        'events:PutTargets',
        'events:RemoveTargets',
        'events:TagResource',
        'events:UntagResource',
      ],
      Resource: [...inRegions('events', `rule/${generated}`), ...inRegions('events', `rule/${named}`)],
    },
    {
      // The stage's schedule group (`docflow-<stage>`, lib/constructs/clock-schedules.ts) and its schedules.
      Sid: 'Schedules',
      Effect: 'Allow',
      Action: [
        'scheduler:CreateSchedule',
        'scheduler:CreateScheduleGroup',
        'scheduler:DeleteSchedule',
        'scheduler:DeleteScheduleGroup',
        'scheduler:GetSchedule',
        'scheduler:GetScheduleGroup',
        'scheduler:ListTagsForResource',
        'scheduler:TagResource',
        'scheduler:UntagResource',
        'scheduler:UpdateSchedule',
      ],
      Resource: [
        ...inRegions('scheduler', `schedule-group/docflow-${stage}`),
        ...inRegions('scheduler', `schedule/docflow-${stage}/*`),
      ],
    },
    {
      Sid: 'LogsAlarmsTopicsQueues',
      Effect: 'Allow',
      Action: [
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:ListTagsForResource',
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
        'logs:CreateLogDelivery',
        'logs:CreateLogGroup',
        'logs:DeleteLogDelivery',
        'logs:DeleteLogGroup',
        'logs:DeleteMetricFilter',
        'logs:DeleteRetentionPolicy',
        'logs:DescribeLogGroups',
        'logs:DescribeMetricFilters',
        'logs:DescribeResourcePolicies',
        'logs:GetLogDelivery',
        'logs:ListLogDeliveries',
        'logs:ListTagsForResource',
        'logs:PutMetricFilter',
        'logs:PutResourcePolicy',
        'logs:PutRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:UpdateLogDelivery',
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:GetSubscriptionAttributes',
        'sns:GetTopicAttributes',
        'sns:ListSubscriptionsByTopic',
        'sns:ListTagsForResource',
        'sns:SetSubscriptionAttributes',
        'sns:SetTopicAttributes',
        'sns:Subscribe',
        'sns:TagResource',
        'sns:Unsubscribe',
        'sns:UntagResource',
        'sqs:CreateQueue',
        'sqs:DeleteQueue',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ListQueueTags',
        'sqs:SetQueueAttributes',
        'sqs:TagQueue',
        'sqs:UntagQueue',
      ],
      // Generated names (`Docflow-<stage>-…`) for log groups, topics and queues; alarms named docflow-…;
      // log deliveries (API access logs) have no resource.
      Resource: '*',
    },
  ];
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The policy as docs/DEPLOY.md shows it: one statement per block, arrays wrapped to about 110 columns
 * (valid JSON, shorter than JSON.stringify's one value per line).
 */
export function formatPolicy(policy: PolicyDocument): string {
  const wrap = (values: readonly string[], indent: string) => {
    const lines: string[] = [];
    let line = '';
    for (const value of values.map((v) => JSON.stringify(v))) {
      if (line && `${indent}${line}, ${value}`.length > 110) {
        lines.push(`${line},`);
        line = value;
      } else line = line ? `${line}, ${value}` : value;
    }
    lines.push(line);
    return `[${lines.join(`\n${indent} `)}]`;
  };
  const value = (v: string | readonly string[], indent: string) =>
    typeof v === 'string' ? JSON.stringify(v) : wrap(v, indent);
  const statements = policy.Statement.map((s) => {
    const parts = [
      `    { "Sid": ${JSON.stringify(s.Sid)}, "Effect": ${JSON.stringify(s.Effect)},`,
      `      "Action": ${value(s.Action, '      ')},`,
      `      "Resource": ${value(s.Resource, '      ')}`,
    ];
    if (s.Condition) parts[parts.length - 1] += `,\n      "Condition": ${JSON.stringify(s.Condition)}`;
    return `${parts.join('\n')} }`;
  });
  return `{\n  "Version": "${policy.Version}",\n  "Statement": [\n${statements.join(',\n')}\n  ]\n}`;
}

const USAGE = `Usage: npm run deploy-policy -- --account <12 digits> --region <region> [--recovery-region <region>]
         [--stage <stage>] [--partition aws]

Prints the CloudFormation execution policy for a stage (docs/DEPLOY.md), to create as an IAM policy and
pass to \`cdk bootstrap --cloudformation-execution-policies\` in each region.`;

export function main(argv: readonly string[]): number {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        account: { type: 'string' },
        region: { type: 'string' },
        'recovery-region': { type: 'string' },
        stage: { type: 'string', default: 'prod' },
        partition: { type: 'string', default: 'aws' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const account = String(values.account ?? '');
  const region = String(values.region ?? '');
  const stage = StageSchema.safeParse(values.stage);
  if (values.help || !/^\d{12}$/.test(account) || !region || !stage.success) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const recovery = values['recovery-region'];
  const policy = cloudFormationExecutionPolicy({
    account,
    regions: typeof recovery === 'string' ? [region, recovery] : [region],
    stage: stage.data,
    partition: String(values.partition),
  });
  console.log(formatPolicy(policy));
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
