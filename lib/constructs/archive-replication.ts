import { Aws, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { resourceFinding } from '../nag';
import {
  REPLICATION_RULE_ID,
  type RecoveryNames,
  type RecoveryTarget,
  replicationRoleName,
} from '../recovery';

export interface ArchiveReplicationProps {
  readonly stage: string;
  readonly archive: Bucket;
  readonly archiveKey: IKey;
  readonly target: RecoveryTarget;
  readonly names: RecoveryNames;
}

/**
 * Replicates every new version written to the archive into the recovery stack's bucket (another region,
 * possibly another account), which has the same Object Lock: each replica keeps its source's retention,
 * and is encrypted there with that region's own key. Delete markers are not replicated (nothing deletes
 * in the archive anyway).
 */
export class ArchiveReplication extends Construct {
  readonly role: Role;
  readonly destinationBucketArn: string;

  constructor(scope: Construct, id: string, props: ArchiveReplicationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { target, names } = props;
    const crossAccount = target.account !== stack.account;
    this.destinationBucketArn = `arn:${Aws.PARTITION}:s3:::${names.replicaBucket}`;
    const replicaKeyAlias = `arn:${Aws.PARTITION}:kms:${target.region}:${target.account}:${names.replicaKeyAlias}`;
    const replicaKeys = `arn:${Aws.PARTITION}:kms:${target.region}:${target.account}:key/*`;

    this.role = new Role(this, 'Role', {
      roleName: replicationRoleName(props.stage),
      assumedBy: new ServicePrincipal('s3.amazonaws.com'),
      description: `docflow ${props.stage}: S3 replicates the archive to ${target.region}`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        resources: [props.archive.bucketArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          's3:GetObjectVersionForReplication',
          's3:GetObjectVersionAcl',
          's3:GetObjectVersionTagging',
          // Object Lock: each replica carries its source's retention.
          's3:GetObjectRetention',
          's3:GetObjectLegalHold',
        ],
        resources: [props.archive.arnForObjects('*')],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          's3:ReplicateObject',
          's3:ReplicateTags',
          ...(crossAccount ? ['s3:ObjectOwnerOverrideToBucketOwner'] : []),
        ],
        resources: [`${this.destinationBucketArn}/*`],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.archiveKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        // The replica key lives in another region: named by its alias, matched by it.
        resources: [replicaKeys],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${target.region}.amazonaws.com` },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': names.replicaKeyAlias },
        },
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[${resourceFinding(this, props.archive.arnForObjects('*'))}]`,
      reason: 'S3 replication reads every new object version of the archive bucket, which holds nothing else',
    });
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[${resourceFinding(this, `${this.destinationBucketArn}/*`)}]`,
      reason: 'S3 replication writes replicas into the recovery bucket, which holds nothing but replicas',
    });
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[${resourceFinding(this, replicaKeys)}]`,
      reason: `the replica key lives in ${target.region} and is known here only by its alias: kms:ResourceAliases (${names.replicaKeyAlias}) and kms:ViaService select it`,
    });

    (props.archive.node.defaultChild as CfnBucket).replicationConfiguration = {
      role: this.role.roleArn,
      rules: [
        {
          id: REPLICATION_RULE_ID,
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: this.destinationBucketArn,
            account: crossAccount ? target.account : undefined,
            accessControlTranslation: crossAccount ? { owner: 'Destination' } : undefined,
            encryptionConfiguration: { replicaKmsKeyId: replicaKeyAlias },
            // Metrics, for the alarm on failed replications (Monitoring.watchReplication).
            metrics: { status: 'Enabled' },
          },
        },
      ],
    };
  }
}
