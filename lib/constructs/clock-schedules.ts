import { Duration, Validations } from 'aws-cdk-lib';
import { type Policy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { wildcardFindings } from '../nag';
import type { ClockScheduleSpec } from '../schedules';

export interface ClockSchedulesProps {
  readonly stage: string;
  readonly schedules: Readonly<Record<string, ClockScheduleSpec>>;
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Where a run that could not be delivered after its retries is kept (alarmed). */
  readonly deadLetterQueue: IQueue;
}

/**
 * The EventBridge Scheduler schedules of lib/schedules.ts `clockSchedules`: one group per stage, one role that
 * the scheduler assumes to invoke exactly the target functions, and each target given the schedule's own
 * time as `{ at }`.
 */
export class ClockSchedules extends Construct {
  readonly group: ScheduleGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ClockSchedulesProps) {
    super(scope, id);
    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: `docflow-${props.stage}` });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: `docflow ${props.stage}: the schedules invoke their functions`,
    });
    for (const [name, spec] of Object.entries(props.schedules)) {
      const fn = props.functions[spec.function];
      if (!fn) throw new Error(`schedule ${name} invokes ${spec.function}, which is not deployed`);
      new Schedule(this, name, {
        scheduleGroup: this.group,
        description: `docflow ${props.stage}: ${spec.description}`,
        schedule: ScheduleExpression.rate(Duration.minutes(spec.everyMinutes)),
        target: new LambdaInvoke(fn, {
          role: this.role,
          input: ScheduleTargetInput.fromObject({ at: ContextAttribute.scheduledTime }),
          // A run missed is made good by the next one; two retries cover a throttle or a cold error.
          retryAttempts: 2,
          maxEventAge: Duration.minutes(spec.everyMinutes),
          deadLetterQueue: props.deadLetterQueue,
        }),
      });
    }
    const policy = this.role.node.tryFindChild('DefaultPolicy') as Policy | undefined;
    for (const finding of policy ? wildcardFindings(this, policy.document) : []) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: "invoking a function's versions and aliases as well (`<arn>:*`, the aws-cdk-lib grant)",
      });
    }
  }
}
