import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { draftDecision } from '../fixtures/documents';
import { api } from '../support/api';
import { foreignSigned } from '../support/exchange-outside';
import { CITY, get, issueAs, signed, type View } from '../support/flow';
import { nssDbTrusting, pdfsig, qpdf, requireTool, tempDir, writeTemp } from '../support/pdf-tools';

/*
 * The consistency property of issue 17 through the real API: for each producer of the fixtures (docflow's
 * own, qpdf's object streams and linearization, LibreOffice's export of the Decree 30 Word template, and
 * drafts already signed by the external CA the city trusts), a document drafted, signed and issued through
 * the API verifies valid in the API's verification, in the bundled CLI run as a process of its own, and in
 * poppler's pdfsig. test/unit/foreign-signed-issue.test.ts holds the same over the core alone.
 */

const repoRoot = join(import.meta.dirname, '..', '..');
const EXTERNAL_ROOT = resolve(import.meta.dirname, '..', 'fixtures', 'external-ca', 'root.pem');

async function fileOf(id: string, userId: string): Promise<Uint8Array> {
  const { url } = await get(userId, `/api/documents/${id}/file?redirect=false`);
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

describe('property: every document issued through the API verifies valid in the API, the CLI and pdfsig', () => {
  it('over every producer of the fixtures, unsigned and already signed elsewhere', async () => {
    requireTool('qpdf');
    requireTool('certutil');
    requireTool('soffice');
    const dir = tempDir('docflow-producers-');
    const original = writeTemp(dir, 'in.pdf', await draftDecision(2));
    const producers: Record<string, { pdf: Uint8Array; foreign: number }> = {
      'docflow fixture (libpdf)': { pdf: await draftDecision(1), foreign: 0 },
    };
    for (const flags of [['--object-streams=generate'], ['--linearize']]) {
      const out = join(dir, `out${flags.join('')}.pdf`);
      qpdf([...flags, original, out]);
      const pdf = new Uint8Array(readFileSync(out));
      producers[`qpdf ${flags.join(' ')}`] = { pdf, foreign: 0 };
      producers[`qpdf ${flags.join(' ')}, signed by the ministry`] = {
        pdf: foreignSigned(pdf, `ministry${flags.join('').replace(/\W/g, '')}`),
        foreign: 1,
      };
    }
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        join(repoRoot, 'test', 'fixtures', 'word', 'quyet-dinh-d30.docx'),
      ],
      { timeout: 240_000, stdio: 'ignore' },
    );
    const converted = new Uint8Array(readFileSync(join(dir, 'quyet-dinh-d30.pdf')));
    producers['LibreOffice (Word template)'] = { pdf: converted, foreign: 0 };
    producers['LibreOffice, signed by the ministry'] = {
      pdf: foreignSigned(converted, 'ministrylo'),
      foreign: 1,
    };

    const rootsPem = `${(await api<string>('GET', '/api/pki/roots')).body}\n${readFileSync(EXTERNAL_ROOT, 'utf8')}`;
    const trust = writeTemp(dir, 'roots.pem', rootsPem);
    const db = nssDbTrusting(pemDecodeAll(rootsPem, 'CERTIFICATE'));

    for (const [name, { pdf, foreign }] of Object.entries(producers)) {
      const id = await signed(CITY, { pdf, title: `Về việc thử nhà sản xuất ${name}`.slice(0, 200) });
      const issued = await issueAs('city-clerk', id);
      expect.soft(issued.state, name).toBe('ISSUED');

      const verification = (await get('city-clerk', `/api/documents/${id}/verification`)) as View;
      expect.soft(verification.verdict, `${name}: ${verification.summary?.en}`).toBe('valid');

      const file = writeTemp(dir, `${id}.pdf`, await fileOf(id, 'city-clerk'));
      const cli = spawnSync(
        process.execPath,
        [join(repoRoot, 'cli', 'bundle', 'docflow.mjs'), 'verify', file, '--trust', trust, '--lang', 'en'],
        { encoding: 'utf8', timeout: 180_000 },
      );
      expect.soft(cli.status, `${name}: ${cli.stdout}${cli.stderr}`).toBe(0);

      const poppler = pdfsig(file, db);
      expect.soft(poppler.signatures.length, `${name}: ${poppler.output}`).toBe(foreign + 2);
      for (const s of poppler.signatures) {
        expect.soft(s.signatureValid, `${name} #${s.index}: ${s.block}`).toBe(true);
        expect.soft(s.certificateTrusted, `${name} #${s.index}: ${s.block}`).toBe(true);
      }
    }
  }, 900_000);
});
