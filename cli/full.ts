import { wholeFileParser } from '../lambdas/core/pdf/verify-whole-file';
import { run as runCommand } from './main';

/*
 * The CLI with libpdf's whole-file parser at hand, for files the lazy reader cannot follow (main.ts loads
 * it for those only). Built on its own (cli/bundle/full.mjs, no chunks shared with the lean build): the
 * parser and the verifier must share one copy of libpdf's object classes.
 */
export function run(argv: readonly string[]): Promise<number> {
  return runCommand(argv, wholeFileParser);
}
