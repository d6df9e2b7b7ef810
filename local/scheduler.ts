import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { boundedConfig, CALL_BOUNDS } from '../lambdas/adapters/aws-clients';
import { schedules } from '../lib/schedules';

/**
 * The laptop's EventBridge: every schedule of lib/schedules.ts invokes its function through the local
 * Lambda endpoint with the same event, at the same rate, for as long as the stack runs.
 */
export function startScheduler(log: (line: string) => void): { stop(): void } {
  const lambda = new LambdaClient(boundedConfig(CALL_BOUNDS.lambda));
  const timers = Object.entries(schedules).map(([name, spec]) => {
    const timer = setInterval(() => {
      lambda
        .send(
          new InvokeCommand({
            FunctionName: spec.function,
            Payload: new TextEncoder().encode(JSON.stringify(spec.input)),
          }),
        )
        .then((out) => {
          if (out.FunctionError) log(`  schedule ${name} failed: ${new TextDecoder().decode(out.Payload)}`);
        })
        .catch((error: unknown) => log(`  schedule ${name} failed: ${(error as Error).message}`));
    }, spec.everyHours * 3600_000);
    timer.unref();
    return timer;
  });
  return {
    stop: () => {
      for (const timer of timers) clearInterval(timer);
      lambda.destroy();
    },
  };
}
