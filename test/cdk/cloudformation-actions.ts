import type { CfnResource } from './synth';

/*
 * What CloudFormation calls, as the stack's execution role, to create, read, update and (unless the
 * resource is retained) delete each resource type docflow's templates use: from the handler permissions
 * of the CloudFormation resource schemas (the registry's `handlers.*.permissions`), narrowed to the
 * properties docflow sets. A template with a type missing here fails test/cdk/deploy-policy.test.ts until
 * someone writes down what it needs; the execution policy (ops/deploy-policy.ts) must allow all of it.
 */

interface TypeNeeds {
  /** Create, read and update. */
  readonly always: readonly string[];
  /** Delete: needed when some resource of the type is not retained (or is deleted on a failed creation). */
  readonly remove?: readonly string[];
  /** Actions that depend on the resource's properties. */
  readonly extra?: (resource: CfnResource) => readonly string[];
  /** The type's tagging actions, needed when the resource has tags (the stack tags everything). */
  readonly tag?: readonly string[];
}

const has = (resource: CfnResource, ...path: string[]) => {
  let value: unknown = resource.Properties;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return value !== undefined;
};

const APIGATEWAY = ['apigateway:POST', 'apigateway:GET', 'apigateway:PATCH', 'apigateway:PUT'];

export const CLOUDFORMATION_NEEDS: Readonly<Record<string, TypeNeeds>> = {
  'AWS::KMS::Key': {
    always: [
      'kms:CreateKey',
      'kms:DescribeKey',
      'kms:EnableKeyRotation',
      'kms:GetKeyPolicy',
      'kms:GetKeyRotationStatus',
      'kms:ListResourceTags',
      'kms:PutKeyPolicy',
      'kms:UpdateKeyDescription',
    ],
    remove: ['kms:ScheduleKeyDeletion'],
    tag: ['kms:TagResource', 'kms:UntagResource'],
  },
  'AWS::KMS::Alias': {
    always: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:ListAliases'],
    remove: ['kms:DeleteAlias'],
  },
  'AWS::S3::Bucket': {
    always: [
      's3:CreateBucket',
      's3:GetBucketLocation',
      's3:ListBucket',
      's3:PutBucketPublicAccessBlock',
      's3:PutBucketOwnershipControls',
      's3:PutEncryptionConfiguration',
      's3:GetEncryptionConfiguration',
    ],
    remove: ['s3:DeleteBucket'],
    tag: ['s3:PutBucketTagging', 's3:GetBucketTagging'],
    extra: (b) => [
      ...(has(b, 'VersioningConfiguration') ? ['s3:PutBucketVersioning', 's3:GetBucketVersioning'] : []),
      ...(has(b, 'ObjectLockConfiguration') ? ['s3:PutBucketObjectLockConfiguration'] : []),
      ...(has(b, 'LifecycleConfiguration') ? ['s3:PutLifecycleConfiguration'] : []),
      ...(has(b, 'LoggingConfiguration') ? ['s3:PutBucketLogging'] : []),
      ...(has(b, 'CorsConfiguration') ? ['s3:PutBucketCORS'] : []),
      ...(has(b, 'ReplicationConfiguration') ? ['s3:PutReplicationConfiguration', 'iam:PassRole'] : []),
      ...(has(b, 'AccessControl') ? ['s3:PutBucketAcl'] : []),
    ],
  },
  'AWS::S3::BucketPolicy': {
    always: ['s3:PutBucketPolicy', 's3:GetBucketPolicy'],
    remove: ['s3:DeleteBucketPolicy'],
  },
  'AWS::DynamoDB::GlobalTable': {
    // The global-table handler creates the table through its replica and checks it with item calls.
    always: [
      'dynamodb:CreateTable',
      'dynamodb:CreateTableReplica',
      'dynamodb:DescribeTable',
      'dynamodb:UpdateTable',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:UpdateContinuousBackups',
      'dynamodb:DescribeTimeToLive',
      'dynamodb:UpdateTimeToLive',
      'dynamodb:DescribeContributorInsights',
      'dynamodb:UpdateContributorInsights',
      'dynamodb:DescribeKinesisStreamingDestination',
      'dynamodb:ListTagsOfResource',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:DescribeStream',
    ],
    remove: ['dynamodb:DeleteTable'],
    tag: ['dynamodb:TagResource', 'dynamodb:UntagResource'],
    extra: (t) =>
      JSON.stringify(t.Properties.Replicas).includes('KMSMasterKeyId')
        ? ['kms:CreateGrant', 'kms:DescribeKey', 'kms:Decrypt', 'kms:ListAliases']
        : [],
  },
  'AWS::Cognito::UserPool': {
    always: [
      'cognito-idp:CreateUserPool',
      'cognito-idp:DescribeUserPool',
      'cognito-idp:UpdateUserPool',
      'cognito-idp:AddCustomAttributes',
      'cognito-idp:SetUserPoolMfaConfig',
      'cognito-idp:GetUserPoolMfaConfig',
    ],
    tag: ['cognito-idp:TagResource', 'cognito-idp:UntagResource', 'cognito-idp:ListTagsForResource'],
    extra: (p) =>
      has(p, 'UserPoolAddOns')
        ? ['cognito-idp:SetRiskConfiguration', 'cognito-idp:DescribeRiskConfiguration']
        : [],
  },
  'AWS::Cognito::UserPoolDomain': {
    always: [
      'cognito-idp:CreateUserPoolDomain',
      'cognito-idp:DescribeUserPoolDomain',
      'cognito-idp:UpdateUserPoolDomain',
    ],
    remove: ['cognito-idp:DeleteUserPoolDomain'],
  },
  'AWS::Cognito::UserPoolClient': {
    always: [
      'cognito-idp:CreateUserPoolClient',
      'cognito-idp:DescribeUserPoolClient',
      'cognito-idp:UpdateUserPoolClient',
    ],
    remove: ['cognito-idp:DeleteUserPoolClient'],
  },
  'AWS::Cognito::UserPoolGroup': {
    always: ['cognito-idp:CreateGroup', 'cognito-idp:GetGroup', 'cognito-idp:UpdateGroup'],
    remove: ['cognito-idp:DeleteGroup'],
  },
  'AWS::SNS::Topic': {
    always: [
      'sns:CreateTopic',
      'sns:GetTopicAttributes',
      'sns:SetTopicAttributes',
      'sns:ListSubscriptionsByTopic',
    ],
    remove: ['sns:DeleteTopic'],
    tag: ['sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource'],
  },
  'AWS::SNS::TopicPolicy': { always: ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'] },
  'AWS::SNS::Subscription': {
    always: ['sns:Subscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes'],
    remove: ['sns:Unsubscribe'],
  },
  'AWS::SQS::Queue': {
    always: ['sqs:CreateQueue', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:GetQueueUrl'],
    remove: ['sqs:DeleteQueue'],
    tag: ['sqs:TagQueue', 'sqs:UntagQueue', 'sqs:ListQueueTags'],
  },
  'AWS::SQS::QueuePolicy': { always: ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes'] },
  'AWS::CloudWatch::Alarm': {
    always: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms'],
    remove: ['cloudwatch:DeleteAlarms'],
    tag: ['cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
  },
  'AWS::Logs::LogGroup': {
    always: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:DescribeLogGroups'],
    remove: ['logs:DeleteLogGroup'],
    tag: ['logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource'],
  },
  'AWS::Logs::MetricFilter': {
    always: ['logs:PutMetricFilter', 'logs:DescribeMetricFilters'],
    remove: ['logs:DeleteMetricFilter'],
  },
  'AWS::IAM::Role': {
    always: [
      'iam:CreateRole',
      'iam:GetRole',
      'iam:UpdateRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:AttachRolePolicy',
      'iam:ListAttachedRolePolicies',
      'iam:ListRolePolicies',
    ],
    remove: ['iam:DeleteRole', 'iam:DetachRolePolicy'],
    tag: ['iam:TagRole', 'iam:UntagRole'],
  },
  'AWS::IAM::OIDCProvider': {
    always: [
      'iam:CreateOpenIDConnectProvider',
      'iam:GetOpenIDConnectProvider',
      'iam:AddClientIDToOpenIDConnectProvider',
      'iam:RemoveClientIDFromOpenIDConnectProvider',
      'iam:UpdateOpenIDConnectProviderThumbprint',
      'iam:ListOpenIDConnectProviderTags',
    ],
    remove: ['iam:DeleteOpenIDConnectProvider'],
    tag: ['iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider'],
  },
  'AWS::IAM::Policy': {
    always: ['iam:PutRolePolicy', 'iam:GetRolePolicy'],
    remove: ['iam:DeleteRolePolicy'],
  },
  'AWS::Lambda::Function': {
    always: [
      'lambda:CreateFunction',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:GetRuntimeManagementConfig',
      'iam:PassRole',
      's3:GetObject',
    ],
    remove: ['lambda:DeleteFunction'],
    tag: ['lambda:TagResource', 'lambda:UntagResource', 'lambda:ListTags'],
    extra: (f) =>
      has(f, 'ReservedConcurrentExecutions')
        ? ['lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency']
        : [],
  },
  'AWS::Lambda::Permission': { always: ['lambda:AddPermission'], remove: ['lambda:RemovePermission'] },
  'AWS::Lambda::EventSourceMapping': {
    always: [
      'lambda:CreateEventSourceMapping',
      'lambda:GetEventSourceMapping',
      'lambda:UpdateEventSourceMapping',
    ],
    remove: ['lambda:DeleteEventSourceMapping'],
    tag: ['lambda:TagResource', 'lambda:UntagResource', 'lambda:ListTags'],
  },
  'AWS::Lambda::LayerVersion': {
    always: ['lambda:PublishLayerVersion', 'lambda:GetLayerVersion', 's3:GetObject'],
    remove: ['lambda:DeleteLayerVersion'],
  },
  'AWS::Events::Rule': {
    always: ['events:PutRule', 'events:DescribeRule', 'events:PutTargets', 'events:ListTargetsByRule'],
    remove: ['events:DeleteRule', 'events:RemoveTargets'],
    tag: ['events:TagResource', 'events:UntagResource', 'events:ListTagsForResource'],
    extra: (r) => (JSON.stringify(r.Properties.Targets).includes('RoleArn') ? ['iam:PassRole'] : []),
  },
  // EventBridge Scheduler (lib/constructs/clock-schedules.ts): the group is tagged, schedules are not taggable.
  'AWS::Scheduler::ScheduleGroup': {
    always: ['scheduler:CreateScheduleGroup', 'scheduler:GetScheduleGroup'],
    remove: ['scheduler:DeleteScheduleGroup', 'scheduler:DeleteSchedule'],
    tag: ['scheduler:TagResource', 'scheduler:UntagResource', 'scheduler:ListTagsForResource'],
  },
  'AWS::Scheduler::Schedule': {
    always: ['scheduler:CreateSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule', 'iam:PassRole'],
    remove: ['scheduler:DeleteSchedule'],
  },
  'AWS::ApiGatewayV2::Api': {
    always: APIGATEWAY,
    remove: ['apigateway:DELETE'],
  },
  'AWS::ApiGatewayV2::Stage': {
    always: [
      ...APIGATEWAY,
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
      'iam:CreateServiceLinkedRole',
    ],
    remove: ['apigateway:DELETE', 'logs:DeleteLogDelivery'],
  },
  'AWS::ApiGatewayV2::Integration': { always: APIGATEWAY, remove: ['apigateway:DELETE'] },
  'AWS::ApiGatewayV2::Route': { always: APIGATEWAY, remove: ['apigateway:DELETE'] },
  'AWS::ApiGatewayV2::Authorizer': { always: APIGATEWAY, remove: ['apigateway:DELETE'] },
  'AWS::ApiGatewayV2::DomainName': {
    always: [...APIGATEWAY, 'acm:DescribeCertificate'],
    remove: ['apigateway:DELETE'],
  },
  'AWS::ApiGatewayV2::ApiMapping': { always: APIGATEWAY, remove: ['apigateway:DELETE'] },
  'AWS::CloudFront::Distribution': {
    always: [
      'cloudfront:CreateDistribution',
      'cloudfront:GetDistribution',
      'cloudfront:GetDistributionConfig',
      'cloudfront:UpdateDistribution',
    ],
    remove: ['cloudfront:DeleteDistribution'],
    tag: ['cloudfront:TagResource', 'cloudfront:UntagResource', 'cloudfront:ListTagsForResource'],
    extra: (d) => {
      const config = JSON.stringify(d.Properties.DistributionConfig);
      return [
        ...(config.includes('WebACLId') ? ['wafv2:GetWebACL'] : []),
        ...(config.includes('"Logging"') ? ['s3:GetBucketAcl', 's3:PutBucketAcl'] : []),
        ...(config.includes('AcmCertificateArn') ? ['acm:DescribeCertificate'] : []),
      ];
    },
  },
  'AWS::CloudFront::CachePolicy': {
    always: ['cloudfront:CreateCachePolicy', 'cloudfront:GetCachePolicy', 'cloudfront:UpdateCachePolicy'],
    remove: ['cloudfront:DeleteCachePolicy'],
  },
  'AWS::CloudFront::OriginAccessControl': {
    always: [
      'cloudfront:CreateOriginAccessControl',
      'cloudfront:GetOriginAccessControl',
      'cloudfront:UpdateOriginAccessControl',
    ],
    remove: ['cloudfront:DeleteOriginAccessControl'],
  },
  'AWS::CloudFront::ResponseHeadersPolicy': {
    always: [
      'cloudfront:CreateResponseHeadersPolicy',
      'cloudfront:GetResponseHeadersPolicy',
      'cloudfront:UpdateResponseHeadersPolicy',
    ],
    remove: ['cloudfront:DeleteResponseHeadersPolicy'],
  },
  'AWS::CloudFront::Function': {
    always: [
      'cloudfront:CreateFunction',
      'cloudfront:DescribeFunction',
      'cloudfront:GetFunction',
      'cloudfront:PublishFunction',
      'cloudfront:UpdateFunction',
    ],
    remove: ['cloudfront:DeleteFunction'],
    tag: ['cloudfront:TagResource', 'cloudfront:UntagResource', 'cloudfront:ListTagsForResource'],
  },
  'AWS::Backup::BackupVault': {
    always: [
      'backup:CreateBackupVault',
      'backup:DescribeBackupVault',
      'backup:PutBackupVaultAccessPolicy',
      'backup:GetBackupVaultAccessPolicy',
      'backup:PutBackupVaultLockConfiguration',
      'backup-storage:MountCapsule',
      'kms:CreateGrant',
      'kms:DescribeKey',
      'kms:GenerateDataKey',
      'kms:Decrypt',
      'kms:RetireGrant',
    ],
    remove: ['backup:DeleteBackupVault', 'backup:DeleteBackupVaultAccessPolicy'],
    tag: ['backup:TagResource', 'backup:UntagResource', 'backup:ListTags'],
  },
  'AWS::Backup::BackupPlan': {
    always: [
      'backup:CreateBackupPlan',
      'backup:GetBackupPlan',
      'backup:UpdateBackupPlan',
      'backup:ListBackupPlans',
    ],
    remove: ['backup:DeleteBackupPlan'],
    tag: ['backup:TagResource', 'backup:UntagResource', 'backup:ListTags'],
  },
  'AWS::Backup::BackupSelection': {
    always: [
      'backup:CreateBackupSelection',
      'backup:GetBackupSelection',
      'backup:ListBackupSelections',
      'iam:PassRole',
    ],
    remove: ['backup:DeleteBackupSelection'],
  },
  // A custom resource: CloudFormation invokes its provider function (CDK's BucketDeployment).
  'Custom::CDKBucketDeployment': { always: ['lambda:InvokeFunction', 'cloudfront:CreateInvalidation'] },
};

/** Every action CloudFormation needs for one template's resources; throws on a type it does not know. */
export function neededActions(resources: Readonly<Record<string, CfnResource>>): Map<string, string[]> {
  const needed = new Map<string, string[]>();
  const add = (action: string, why: string) => needed.set(action, [...(needed.get(action) ?? []), why]);
  for (const [id, resource] of Object.entries(resources)) {
    const needs = CLOUDFORMATION_NEEDS[resource.Type];
    if (!needs)
      throw new Error(
        `${id}: no CloudFormation needs recorded for ${resource.Type} (test/cdk/cloudformation-actions.ts)`,
      );
    const why = `${resource.Type} ${id}`;
    for (const action of needs.always) add(action, why);
    for (const action of needs.extra?.(resource) ?? []) add(action, why);
    const tagged = Object.keys(resource.Properties ?? {}).some(
      (key) => key === 'Tags' || /[a-z]Tags$/.test(key),
    );
    if (tagged) for (const action of needs.tag ?? []) add(action, why);
    const retained = resource.DeletionPolicy === 'Retain';
    if (!retained) for (const action of needs.remove ?? []) add(action, why);
  }
  return needed;
}
