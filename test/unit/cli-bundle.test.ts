import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { PdfDict, PdfRef } from '@libpdf/core';
import { describe, expect, it } from 'vitest';
import { buildCliInMemory, CLI_BUNDLE_DIR, CLI_ENTRY, readCommittedCli } from '../../cli/bundle';
import { objectsUpdate } from '../../lambdas/core/pdf/incremental';
import { withUpdate } from '../../lambdas/core/pdf/input';
import { PdfFile, Revision } from '../../lambdas/core/pdf/reader';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { wholeFileParser } from '../../lambdas/core/pdf/verify-whole-file';
import { pemEncode } from '../../lambdas/core/pki/asn1';
import { signingChain } from '../fixtures/signing-flow';
import { tempDir } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

/*
 * The auditors' CLI runs from its committed ahead-of-time build (cli/bundle.ts says why it is committed):
 * that build must be the one the sources give today, must need nothing but Node, and must work.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');

describe('the built CLI', () => {
  it('is current: cli/bundle/ is what `npm run build:cli` makes of the sources now', async () => {
    const [fresh, committed] = await Promise.all([buildCliInMemory(), readCommittedCli()]);
    const stale = [...new Set([...fresh.keys(), ...committed.keys()])].filter((path) => {
      const a = fresh.get(path);
      const b = committed.get(path);
      return !a || !b || !Buffer.from(a).equals(Buffer.from(b));
    });
    expect(stale, 'cli/bundle/ is out of date: run `npm run build:cli` and commit cli/bundle/').toEqual([]);
  }, 60_000);

  it('is what bin.docflow runs: an executable file with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      bin: { docflow: string };
    };
    expect(resolve(repoRoot, pkg.bin.docflow)).toBe(CLI_ENTRY);
    expect(readFileSync(CLI_ENTRY, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(CLI_ENTRY).mode & 0o111).toBe(0o111);
  });

  it('imports nothing but Node built-ins and its own chunks (no tsx, no node_modules at run time)', async () => {
    const imported = new Set<string>();
    for (const [path, bytes] of await readCommittedCli()) {
      const code = Buffer.from(bytes).toString('utf8');
      for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)) {
        const target = m[1] ?? '';
        imported.add(
          target.startsWith('.')
            ? relative(CLI_BUNDLE_DIR, join(CLI_BUNDLE_DIR, path, '..', target))
            : target,
        );
      }
      for (const m of code.matchAll(/\brequire\(["']([^"']+)["']\)/g)) imported.add(m[1] ?? '');
    }
    const committed = new Set((await readCommittedCli()).keys());
    const outside = [...imported].filter((t) => !isBuiltin(t) && !committed.has(t));
    expect(outside).toEqual([]);
  });

  it('verifies with plain node: 0 for a signed decision, 1 once a byte changed, 2 for a missing file, and examines a file only libpdf can follow', async () => {
    const pki = await cityPki();
    const { sealed } = await signingChain(pki, 1);
    const dir = tempDir();
    const good = join(dir, 'decision.pdf');
    writeFileSync(good, sealed);
    const tampered = Buffer.from(sealed);
    // A byte of the first revision (inside both signatures' ranges), outside any stream's length field.
    const at = tampered.indexOf('/MediaBox');
    tampered[at + 1] = 'm'.charCodeAt(0);
    const bad = join(dir, 'tampered.pdf');
    writeFileSync(bad, tampered);
    const root = join(dir, 'root.pem');
    writeFileSync(root, pemEncode('CERTIFICATE', pki.root.certificate));
    // No NODE_OPTIONS or loaders from the test runner: what an auditor's shell gives.
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [CLI_ENTRY, ...args], { encoding: 'utf8', env, cwd: dir });

    const ok = run('verify', good, '--trust', root, '--lang', 'en');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('RESULT: every signature is valid.');
    const json = run('verify', good, '--trust', root, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'valid', fileSize: sealed.length });
    const changed = run('verify', bad, '--trust', root, '--lang', 'en');
    expect(changed.status, changed.stdout).toBe(1);
    expect(changed.stdout).toContain('RESULT: some signature is NOT valid.');
    const missing = run('verify', join(dir, 'none.pdf'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('docflow verify <file.pdf>');

    // A later update whose page tree has no /Count: the lazy reader gives up, so the bin runs the command
    // again with libpdf's whole-file parser (cli/bundle/full.mjs) and reports what the library reports.
    const rev = Revision.open(PdfFile.fromBytes(sealed));
    const pagesRef = rev.catalog().get('Pages');
    const pages = rev.dict(pagesRef);
    if (!(pagesRef instanceof PdfRef) || !pages) throw new Error('fixture without a page tree');
    const withoutCount = new PdfDict([...pages].filter(([key]) => key.value !== 'Count'));
    const unfollowable = withUpdate(
      sealed,
      objectsUpdate(
        rev,
        rev.size,
        new Map([[pagesRef.objectNumber, { ref: pagesRef, value: withoutCount }]]),
      ),
    );
    const damaged = join(dir, 'no-count.pdf');
    writeFileSync(damaged, unfollowable);
    const examined = run('verify', damaged, '--trust', root, '--json');
    expect(examined.status, examined.stderr).toBe(1);
    const expected = await verifyPdf(damaged, { trust: pki.trust, wholeFile: wholeFileParser });
    expect(expected.verdict).toBe('modified');
    expect(JSON.parse(examined.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  }, 60_000);
});
