import { parseArgs } from 'node:util';
import type { WholeFileParser } from '../lambdas/core/pdf/verify';
import { type CommandOptions, type CommandResult, UsageError, wholeFileProbe } from './common';

/*
 * docflow's offline verifier: no network, no account, nothing but the files given and the roots trusted.
 * Exit codes: 0 everything verified; 1 something did not (an invalid or modified signature, a tampered
 * package or proof); 2 the command could not run (usage, unreadable input).
 */

const USAGE = `Sử dụng / usage:
  docflow verify <file.pdf> [--trust root.pem]… [--crl file.crl]… [--json] [--lang vi|en]
  docflow verify-evidence <package.zip> --trust root.pem [--json] [--lang vi|en]
  docflow verify-proof <proof.json> [--trust root.pem] [--event event.json] [--head saved-head.json]
                       [--json] [--lang vi|en]

  --trust   trust anchors (PEM, may hold several roots); repeatable
  --crl     CRLs (DER or PEM) in addition to those in the document; repeatable
  --event   verify-proof: the event (JSON) the inclusion proof is about; its hash is recomputed
  --head    verify-proof: a tree head kept earlier; the proof must be about that exact head
            (inclusion) or start from it (consistency)
Exit: 0 verified, 1 not verified, 2 could not run.`;

export async function main(argv: readonly string[], wholeFile: WholeFileParser): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true, default: [] },
      crl: { type: 'string', multiple: true, default: [] },
      event: { type: 'string' },
      head: { type: 'string' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'vi' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file, ...extra] = positionals;
  if (values.help || !command) return { code: values.help ? 0 : 2, output: USAGE };
  if (values.lang !== 'vi' && values.lang !== 'en') throw new UsageError('--lang is vi or en');
  if (!file || extra.length > 0) throw new UsageError(`${command} takes exactly one file`);
  const options: CommandOptions = {
    file,
    trust: values.trust,
    crl: values.crl,
    event: values.event,
    head: values.head,
    json: values.json,
    lang: values.lang,
    wholeFile,
  };
  // Each command loads only its own code: the verifier, the evidence audit or the tree-head checks.
  switch (command) {
    case 'verify':
      return (await import('./verify-pdf')).verifyCommand(options);
    case 'verify-evidence':
      return (await import('./verify-evidence')).verifyEvidenceCommand(options);
    case 'verify-proof':
      return (await import('./verify-proof')).verifyProofCommand(options);
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

/**
 * Runs a command and prints what it found. Without `wholeFile` (the bin), libpdf's whole-file parser is not
 * even loaded: a probe stands in for it, and a file that needs it (one the lazy reader cannot follow: a
 * damaged one, never one docflow wrote) is examined again from the start by cli/full.ts, a build of its
 * own that carries libpdf's PDF class (half the CLI's code, which every other run would parse for nothing).
 */
export async function run(argv: readonly string[], wholeFile?: WholeFileParser): Promise<number> {
  const probe = wholeFileProbe();
  const needsWholeFile = () => wholeFile === undefined && probe.wanted();
  const withWholeFile = async () => (await import('./full')).run(argv);
  try {
    const result = await main(argv, wholeFile ?? probe.parser);
    if (needsWholeFile()) return await withWholeFile();
    console.log(result.output);
    return result.code;
  } catch (error) {
    if (needsWholeFile()) return await withWholeFile();
    if (error instanceof UsageError) {
      console.error(`docflow: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`docflow: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      console.error(`docflow: ${(error as Error).message}`);
      return 2;
    }
    // Loaded on this path only: a domain error's message, in the language asked for as the reports are
    // (`--lang en` or `--lang=en`; Vietnamese otherwise).
    const [{ DomainError }, { renderError }] = await Promise.all([
      import('../lambdas/core/errors'),
      import('../lambdas/core/i18n/messages'),
    ]);
    if (error instanceof DomainError) {
      const at = argv.indexOf('--lang');
      const lang = argv.includes('--lang=en') || (at >= 0 && argv[at + 1] === 'en') ? 'en' : 'vi';
      console.error(`docflow: ${renderError(error, lang)}`);
      return 2;
    }
    console.error('docflow:', error);
    return 2;
  }
}
