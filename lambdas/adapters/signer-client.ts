import { SignerResultSchema } from '../contracts/signer';
import { DomainError } from '../core/errors';
import { tracer } from '../observability';
import type { SignatureValues } from '../ports/signature-authorization';
import { LazyClient, lambdaSdk } from './lazy-sdk';
import { InvokeCommand } from './sdk-commands';

/*
 * The signer function, as `signing` reaches it: Lambda Invoke, synchronous. Its name comes from
 * DOCFLOW_SIGNER_FUNCTION, which the stack sets on `signing` only; locally AWS_ENDPOINT_URL_LAMBDA points at
 * local/lambda-endpoint.ts, which runs the same handler.
 */

const lambda = new LazyClient(async () =>
  tracer.captureAWSv3Client(new (await lambdaSdk()).LambdaClient({})),
);

export const lambdaSignatureValues: SignatureValues = {
  async sign({ authorizationId, holder, digest }) {
    const functionName = process.env.DOCFLOW_SIGNER_FUNCTION;
    if (!functionName) throw new Error('DOCFLOW_SIGNER_FUNCTION is not set');
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(
          JSON.stringify({ authorizationId, holder, digest: Buffer.from(digest).toString('base64') }),
        ),
      }),
    );
    const text = new TextDecoder().decode(out.Payload ?? new Uint8Array());
    if (out.FunctionError) throw new Error(`signer failed: ${text.slice(0, 500)}`);
    const result = SignerResultSchema.parse(JSON.parse(text));
    if (!result.ok) throw new DomainError(result.code, result.status);
    return new Uint8Array(Buffer.from(result.signature, 'base64'));
  },
};
