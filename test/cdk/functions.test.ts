import { describe, expect, it } from 'vitest';
import { functions, internalFunctions } from '../../lambdas/routes';
import { streamConsumers } from '../../lib/stream-consumers';
import {
  configOf,
  deployedFunctions,
  environmentOf,
  functionId,
  lambdaOf,
  PROD_CONTEXT,
  resources,
  template,
} from './synth';

const t = template();
const prod = template({ context: { ...PROD_CONTEXT, logRetentionDays: 731 } });

describe.each(Object.entries(deployedFunctions))('Lambda function %s', (name, spec) => {
  const fn = lambdaOf(t, functionId(name));

  it('runs the pinned Node major on arm64, traced; API functions time out before the API does, invoked ones before their callers', () => {
    // A container-image function (LibreOffice) brings its own Node: no runtime or handler to name.
    const image = 'image' in spec && spec.image !== undefined;
    expect(fn.Properties).toMatchObject({
      ...(image ? { PackageType: 'Image' } : { Runtime: 'nodejs24.x', Handler: 'index.handler' }),
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Description: spec.description,
    });
    // A function only a schedule invokes (no caller waits on it) may say how long it needs.
    const own = 'timeoutSeconds' in spec ? (spec.timeoutSeconds as number | undefined) : undefined;
    const timeout = own ?? (name in functions ? 29 : name in internalFunctions ? 20 : 120);
    expect(fn.Properties.Timeout as number).toBe(timeout);
    expect(name in functions || name in internalFunctions || name in streamConsumers).toBe(true);
  });

  it('configures Powertools and source maps by environment, and keeps personal data out of logs and traces', () => {
    expect(environmentOf(t, functionId(name))).toMatchObject({
      DOCFLOW_STAGE: 'dev',
      POWERTOOLS_SERVICE_NAME: 'docflow',
      POWERTOOLS_METRICS_NAMESPACE: 'docflow',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_LOGGER_LOG_EVENT: 'false',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(environmentOf(prod, functionId(name)).DOCFLOW_STAGE).toBe('prod');
  });

  it('logs to its own log group with the configured retention', () => {
    const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    const [, group] = resources(t, 'AWS::Logs::LogGroup').find(([id]) => id === logGroupRef) ?? [];
    expect(group?.Properties.RetentionInDays).toBe(configOf().logRetentionDays);
    const prodFn = lambdaOf(prod, functionId(name));
    const prodRef = (prodFn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(
      resources(prod, 'AWS::Logs::LogGroup').find(([id]) => id === prodRef)?.[1].Properties.RetentionInDays,
    ).toBe(731);
  });

  it('has its own role, without AWS managed policies', () => {
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(roleId.startsWith(`${functionId(name)}Role`)).toBe(true);
    const [, role] = resources(t, 'AWS::IAM::Role').find(([id]) => id === roleId) ?? [];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('log retention', () => {
  it('is set explicitly on every log group', () => {
    for (const [id, group] of resources(t, 'AWS::Logs::LogGroup')) {
      expect(group.Properties.RetentionInDays, id).toBe(configOf().logRetentionDays);
    }
  });

  it('no function logs to an implicit, never-expiring log group', () => {
    for (const [id, fn] of resources(t, 'AWS::Lambda::Function')) {
      expect(fn.Properties.LoggingConfig, id).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
    }
    // The deprecated logRetention custom resource is not used either.
    t.resourceCountIs('Custom::LogRetention', 0);
  });
});
