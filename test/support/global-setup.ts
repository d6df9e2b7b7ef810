import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { descendants } from './faults';

/**
 * Starts the local stack once for the integration tests, exactly as `npm start` does (same entry point,
 * its own process tree), on a free port with a temporary data directory. A missing prerequisite (Java)
 * fails the run loudly: nothing is skipped.
 */

export interface StackInfo {
  readonly url: string;
  readonly dataDir: string;
  readonly services: Readonly<
    Record<'dynamodb' | 's3' | 'kms' | 'sts' | 'exchange' | 'mail' | 'scheduler', string>
  >;
  /** Resource names and endpoints, with the operator's (administrator's) credentials. */
  readonly environment: Readonly<Record<string, string>>;
  /** Each function's role, credentials and environment, as its worker has them. */
  readonly functions: Readonly<
    Record<
      string,
      {
        readonly roleArn: string;
        readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
        readonly environment: Readonly<Record<string, string>>;
      }
    >
  >;
  /** The break-glass role's session (key policy changes), with the operator's endpoints. */
  readonly breakGlass: {
    readonly roleArn: string;
    readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    readonly environment: Readonly<Record<string, string>>;
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface RunningStack {
  readonly info: StackInfo;
  /** The stack's process (tsx), whose process tree holds DynamoDB Local's JVM: for fault tests. */
  readonly pid: number | undefined;
  /** Everything the stack printed so far. */
  output(): string;
  /** Resolves with the exit code when the stack's process ends. */
  readonly exited: Promise<number | null>;
  /** Kills the stack and every process under it at once (SIGKILL), as a power cut would; the data stays. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `local/start.ts` in its own process tree on a free port with a fresh temporary data directory. */
export interface StackProcessOptions {
  /** Start again on the data an earlier stack left (a restart after a crash); default: a fresh one. */
  readonly dataDir?: string;
}

export async function startStackProcess(options: StackProcessOptions = {}): Promise<RunningStack> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'docflow-it-')));
  const child: ChildProcess = spawn(
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    [
      'local/start.ts',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...(options.dataDir ? [] : ['--fresh']),
      '--json',
    ],
    {
      cwd: repoRoot,
      // Its own process group (tsx, the stack's node under it, DynamoDB Local's JVM, a JVM restarted by the
      // supervisor): stop() and crash() end the whole group, so nothing outlives the tests even when
      // tsx is killed before the stack has stopped its children (an orphaned child kept vitest's pipe
      // open: "something prevents the main process from exiting").
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        // A deployment may trust an external root (e.g. the official-duty CA): so does the test stack.
        DOCFLOW_TRUSTED_ROOTS_PEM: readFileSync(join(repoRoot, 'test/fixtures/external-ca/root.pem'), 'utf8'),
      },
    },
  );
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  /** Signals every process of the stack's group (those already gone or reparented included). */
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone
    }
  };
  // However this process ends (a failed run, a test worker torn down), the stack's processes end with it.
  const killOnExit = () => signalGroup('SIGKILL');
  process.once('exit', killOnExit);
  /** Once the stack's process has ended: whatever is left of its group, and our ends of its pipes. */
  const cleanUp = async () => {
    await exited;
    signalGroup('SIGKILL');
    process.removeListener('exit', killOnExit);
    child.stdout?.destroy();
    child.stderr?.destroy();
    // Until the group's processes have let go of their ports and data (zombies, never reaped in some
    // containers, count as gone).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && groupMembers(child.pid).some(alive))
      await new Promise((resolve) => setTimeout(resolve, 50));
  };
  const info = await new Promise<StackInfo>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`local stack not ready after 120 s:\n${output}`)),
      120_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Complete lines only: the READY line (every function's environment) spans several chunks.
      const line = output
        .split('\n')
        .slice(0, -1)
        .find((l) => l.startsWith('READY '));
      if (line) {
        clearTimeout(timer);
        resolveReady(JSON.parse(line.slice('READY '.length)) as StackInfo);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${code} before it was ready:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    // A stack that did not come up (or came up too late) must not keep running behind the failure.
    signalGroup('SIGKILL');
    await cleanUp();
    throw error;
  });
  return {
    info,
    pid: child.pid,
    output: () => output,
    exited,
    async crash() {
      const tree = child.pid === undefined ? [] : [child.pid, ...descendants(child.pid)];
      signalGroup('SIGKILL');
      for (const pid of tree) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await cleanUp();
      // The JVM is not the stack's child once the stack is gone: wait until it has let go of its port.
      for (const pid of tree) {
        while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // tsx passes SIGTERM on to the stack, which stops its services; a stack that has not stopped
        // within 10 s is killed with its whole group.
        child.kill('SIGTERM');
        const timer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await cleanUp();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const running = await startStackProcess();
  project.provide('stack', running.info);
  return () => running.stop();
}

/** The processes of process group `pgid` (from /proc: they may have been reparented). */
function groupMembers(pgid: number | undefined): number[] {
  if (pgid === undefined) return [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: read after the last ')', comm may hold anything.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) members.push(Number(entry));
    } catch {
      // gone in the meantime
    }
  }
  return members;
}

/** Running, not a zombie (a killed orphan stays one where nothing reaps it, as in some containers). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
