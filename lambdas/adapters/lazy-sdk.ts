import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/*
 * The AWS SDK loaded on first use. Importing its clients costs a cold start tens of milliseconds (the
 * runtime provides @aws-sdk/*, and each package pulls in the SDK's core), which a request that never calls
 * the service should not pay. A dynamic import stays one in the ESM bundle, so adapters build commands
 * with the stand-ins of sdk-commands.ts and send them through a LazyClient, which loads the package, then
 * creates the client and the SDK's own command. No tracer or other dependency: the signer uses it too.
 */

/** Loads a module once, on the first call. */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

export const dynamodbSdk = onFirstUse(() => import('@aws-sdk/client-dynamodb'));
export const dynamodbUtil = onFirstUse(() => import('@aws-sdk/util-dynamodb'));
export const dynamodbDocumentSdk = onFirstUse(() => import('@aws-sdk/lib-dynamodb'));
export const s3Sdk = onFirstUse(() => import('@aws-sdk/client-s3'));
export const kmsSdk = onFirstUse(() => import('@aws-sdk/client-kms'));
export const lambdaSdk = onFirstUse(() => import('@aws-sdk/client-lambda'));
export const sesSdk = onFirstUse(() => import('@aws-sdk/client-sesv2'));
export const apiGatewayManagementSdk = onFirstUse(() => import('@aws-sdk/client-apigatewaymanagementapi'));
export const cognitoSdk = onFirstUse(() => import('@aws-sdk/client-cognito-identity-provider'));
export const cloudTrailSdk = onFirstUse(() => import('@aws-sdk/client-cloudtrail'));
export const s3PresignerSdk = onFirstUse(() => import('@aws-sdk/s3-request-presigner'));
export const s3PresignedPostSdk = onFirstUse(() => import('@aws-sdk/s3-presigned-post'));

/** What a handler's output type is, read from the SDK command class that handles it. */
type OutputOf<C> = C extends abstract new (
  ...args: never[]
) => { resolveMiddleware(...args: never[]): (args: never) => Promise<{ output: infer O }> }
  ? O
  : never;
type InputOf<C> = C extends abstract new (...args: never[]) => { readonly input: infer I } ? I : never;

/** A command built by the caller at once and turned into the SDK's own command when it is sent. */
export abstract class LazyCommand<Input, Output> {
  /** Only carries the output type for LazyClient.send. */
  declare readonly output?: Output;
  constructor(readonly input: Input) {}
  abstract sdkCommand(): Promise<object>;
}

/**
 * A stand-in for the SDK command class `name` of the module `sdk` loads: `new GetCommand({...})` reads
 * as with the SDK, and the SDK's class is loaded when a LazyClient sends it.
 */
export function lazyCommand<M, K extends keyof M & string>(sdk: () => Promise<M>, name: K) {
  return class extends LazyCommand<InputOf<M[K]>, OutputOf<M[K]>> {
    async sdkCommand(): Promise<object> {
      const Command = (await sdk())[name] as unknown as new (input: InputOf<M[K]>) => object;
      return new Command(this.input);
    }
  };
}

interface Sender {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** An SDK client created (and its package loaded) when it first sends a command. */
export class LazyClient<C> {
  private created: Promise<C> | undefined;
  constructor(private readonly create: () => Promise<C>) {}

  /** The SDK's client itself, for what takes one (presigners, Powertools, the KMS signer). */
  client(): Promise<C> {
    this.created ??= this.create();
    return this.created;
  }

  async send<Input, Output>(
    command: LazyCommand<Input, Output>,
    options?: { abortSignal?: AbortSignal },
  ): Promise<Output> {
    const [client, sdkCommand] = await Promise.all([this.client(), command.sdkCommand()]);
    return (await (client as Sender).send(sdkCommand, options)) as Output;
  }
}

/** The SDK's TransactionCanceledException, told by name so that the check loads nothing. */
export function isTransactionCanceled(error: unknown): error is TransactionCanceledException {
  return (error as Error | undefined)?.name === 'TransactionCanceledException';
}
