import { Worker } from 'node:worker_threads';
import type { FromWorker, SerializedError, ToWorker, WorkerData } from './protocol';

/*
 * Runs each local function as AWS runs a Lambda: apart, with its own identity. Each function gets a worker
 * thread of its own, started on first use, whose process.env is that function's alone (its role's
 * credentials, its resources' names, the endpoints), so that a function can do exactly what its role's
 * policies let it do, and no other function's credentials are within its reach.
 */

export interface LocalFunction {
  /** The handler module, relative to the repository root. */
  readonly entry: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly functionArn: string;
}

export interface InvokeOptions {
  /** The name the handler's context carries. */
  readonly functionName: string;
  readonly timeoutMs: number;
}

export type FunctionInvoker = (name: string, event: unknown, options: InvokeOptions) => Promise<unknown>;

/** An error a handler threw, carried back from its worker with its name, message and stack. */
export class HandlerError extends Error {
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
    if (error.stack) this.stack = error.stack;
  }
}

interface Running {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve(value: unknown): void; reject(error: Error): void }>;
  readonly ready: Promise<void>;
}

const WORKER_ENTRY = new URL('./worker.mjs', import.meta.url);
/** What a worker inherits from the host's environment: nothing of AWS's or docflow's configuration. */
const INHERITED = /^(PATH|HOME|TMPDIR|TZ|LANG|LC_[A-Z]+|NODE_ENV|FORCE_COLOR|NO_COLOR)$/;

export class FunctionHost {
  private readonly running = new Map<string, Running>();
  private nextId = 1;
  private closed = false;
  private functions: Readonly<Record<string, LocalFunction>> = {};

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  /** The functions it runs; given once the identities and environments they need are provisioned. */
  register(functions: Readonly<Record<string, LocalFunction>>): void {
    this.functions = { ...this.functions, ...functions };
  }

  has(name: string): boolean {
    return Object.hasOwn(this.functions, name);
  }

  /** The environment a function runs with (its credentials included). */
  environmentOf(name: string): Readonly<Record<string, string>> | undefined {
    return this.functions[name]?.environment;
  }

  private start(name: string): Running {
    const spec = this.functions[name];
    if (!spec) throw new Error(`no local function ${name}`);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env))
      if (INHERITED.test(key) && value) env[key] = value;
    Object.assign(env, spec.environment);
    const data: WorkerData = { entry: spec.entry, functionArn: spec.functionArn };
    const worker = new Worker(WORKER_ENTRY, { workerData: data, env, execArgv: [] });
    const pending: Running['pending'] = new Map();
    let settleReady: { resolve(): void; reject(error: Error): void } | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      settleReady = { resolve, reject };
    });
    const fail = (error: Error) => {
      // The worker is gone (a crash, or a module that failed to load): what it was doing failed with it,
      // and the next invocation starts a fresh one, as Lambda would a new container.
      if (this.running.get(name)?.worker === worker) this.running.delete(name);
      settleReady?.reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') settleReady?.resolve();
      else if (message.type === 'failed') {
        void worker.terminate();
        fail(new HandlerError(message.error));
      } else {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.type === 'result') call?.resolve(message.result);
        else call?.reject(new HandlerError(message.error));
      }
    });
    worker.on('error', (error) => {
      this.log(`  function ${name}: its worker failed: ${error.stack ?? error.message}`);
      fail(error);
    });
    worker.on('exit', (code) => fail(new Error(`the ${name} function's worker exited (${code})`)));
    // A function waiting for work must not keep the process alive.
    worker.unref();
    ready.catch(() => undefined);
    const running = { worker, pending, ready };
    this.running.set(name, running);
    return running;
  }

  /** Calls the function's handler with `event` in its own worker; its result, or the error it threw. */
  readonly invoke: FunctionInvoker = async (name, event, options) => {
    if (this.closed) throw new Error('the function host is closed');
    const running = this.running.get(name) ?? this.start(name);
    await running.ready;
    const id = this.nextId++;
    const message: ToWorker = { id, event, functionName: options.functionName, timeoutMs: options.timeoutMs };
    return new Promise((resolve, reject) => {
      running.pending.set(id, { resolve, reject });
      running.worker.postMessage(message);
    });
  };

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.running.values()].map((running) => running.worker);
    this.running.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
