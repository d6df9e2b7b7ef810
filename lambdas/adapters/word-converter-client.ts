import { WordConversionResultSchema } from '../contracts/word-converter';
import { documentFilesError } from '../core/i18n/document-files';
import { logger } from '../observability/logger';
import type { WordConversion } from '../ports/conversion';
import { LazyClient, lambdaSdk } from './lazy-sdk';
import { InvokeCommand } from './sdk-commands';

/*
 * The Word converter, as `signing` reaches it: Lambda Invoke, synchronous. Its name comes from
 * DOCFLOW_WORD_CONVERTER_FUNCTION, which the stack sets on the functions allowed to invoke it; locally
 * AWS_ENDPOINT_URL_LAMBDA points at local/lambda-endpoint.ts, which runs the same handler.
 */

const lambda = new LazyClient(async () => new (await lambdaSdk()).LambdaClient({}));

export const lambdaWordConversion: WordConversion = {
  async toPdf(uploadKey, format) {
    const functionName = process.env.DOCFLOW_WORD_CONVERTER_FUNCTION;
    let text: string;
    try {
      if (!functionName) throw new Error('DOCFLOW_WORD_CONVERTER_FUNCTION is not set');
      const out = await lambda.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify({ uploadKey })),
        }),
      );
      text = new TextDecoder().decode(out.Payload ?? new Uint8Array());
      if (out.FunctionError) throw new Error(`converter failed: ${text.slice(0, 500)}`);
    } catch (error) {
      // Nothing was recorded: the draft is unchanged and the caller may try again.
      logger.error('word converter unavailable', { error: error as Error });
      throw documentFilesError('word_converter_unavailable', 503);
    }
    const result = WordConversionResultSchema.parse(JSON.parse(text));
    if (result.ok) return { pdfKey: result.pdfKey, missingFonts: result.missingFonts };
    if (result.code === 'word_not_word')
      throw documentFilesError('word_not_word', 422, { format: `.${format}` });
    throw documentFilesError('word_conversion_failed', 422, { detail: result.detail });
  },
};
