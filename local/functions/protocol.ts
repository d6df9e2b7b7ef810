/* Messages between the function host (host.ts) and a function's worker thread (worker.ts). */

export interface WorkerData {
  /** The handler module, relative to the repository root (lambdas/routes.ts). */
  readonly entry: string;
  readonly functionArn: string;
}

export interface ToWorker {
  readonly id: number;
  readonly event: unknown;
  /** The name the context carries (the deployed function's name). */
  readonly functionName: string;
  readonly timeoutMs: number;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };
