import { readFile } from 'node:fs/promises';
import type { WholeFileParser } from '../lambdas/core/pdf/verify';

/*
 * What every command shares. Node built-ins only: main.ts imports this before it knows which command runs,
 * and anything heavier here would be loaded (and evaluated) by every run, `--help` included.
 */

export type Lang = 'vi' | 'en';

/** Bad usage or input the command cannot start with: exit code 2 and the usage text. */
export class UsageError extends Error {}

export const T = (lang: Lang, vi: string, en: string) => (lang === 'vi' ? vi : en);

export async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
}

/** The options every command receives, parsed by main.ts. */
export interface CommandOptions {
  readonly file: string;
  readonly trust: readonly string[];
  readonly crl: readonly string[];
  readonly event: string | undefined;
  readonly head: string | undefined;
  readonly json: boolean;
  readonly lang: Lang;
  /** For files the lazy reader cannot follow: libpdf's whole-file parse, or a probe (main.ts). */
  readonly wholeFile: WholeFileParser;
}

/** What a command prints on stdout, and its exit code. Printed by main.ts once the command is done. */
export interface CommandResult {
  readonly code: number;
  readonly output: string;
}

/**
 * A stand-in for libpdf's whole-file parser that only records it was wanted (and fails the read that
 * wanted it). main.ts then runs the command again with the real parser (cli/full.ts).
 */
export function wholeFileProbe(): { readonly parser: WholeFileParser; wanted(): boolean } {
  let wanted = false;
  const want = (): never => {
    wanted = true;
    throw new Error('this file needs the whole-file parse');
  };
  return {
    parser: { view: async () => want(), changesAfter: async () => want() },
    wanted: () => wanted,
  };
}
