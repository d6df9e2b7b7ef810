import { type AuthorityCommand, type AuthorityResult, AuthorityResultSchema } from '../contracts/authority';
import { DomainError } from '../core/errors';
import { tracer } from '../observability';
import { boundedConfig, CALL_BOUNDS } from './aws-clients';
import { LazyClient, lambdaSdk } from './lazy-sdk';
import { InvokeCommand } from './sdk-commands';

/*
 * Asks the certificate authority function (lambdas/handlers/certificate-authority.ts) for what only it may
 * do. Lambda Invoke, synchronous: its name comes from DOCFLOW_CERTIFICATE_AUTHORITY_FUNCTION, which the
 * stack sets only on functions allowed to invoke it. Locally AWS_ENDPOINT_URL_LAMBDA points at
 * local/lambda-endpoint.ts, which runs the same handler.
 */

const lambda = new LazyClient(async () =>
  tracer.captureAWSv3Client(new (await lambdaSdk()).LambdaClient(boundedConfig(CALL_BOUNDS.lambda))),
);

export async function invokeAuthority(command: AuthorityCommand): Promise<AuthorityResult & { ok: true }> {
  const functionName = process.env.DOCFLOW_CERTIFICATE_AUTHORITY_FUNCTION;
  if (!functionName) throw new Error('DOCFLOW_CERTIFICATE_AUTHORITY_FUNCTION is not set');
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(command)),
    }),
  );
  const text = new TextDecoder().decode(out.Payload ?? new Uint8Array());
  if (out.FunctionError) {
    throw new Error(`certificate authority failed (${command.command}): ${text.slice(0, 500)}`);
  }
  const result = AuthorityResultSchema.parse(JSON.parse(text));
  if (!result.ok) {
    throw new DomainError(result.code, result.status, result.params);
  }
  return result;
}
