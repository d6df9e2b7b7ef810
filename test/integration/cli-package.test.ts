import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pemEncode } from '../../lambdas/core/pki/asn1';
import { signingChain } from '../fixtures/signing-flow';
import { tempDir } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

/*
 * The auditors' CLI as an auditor gets it: `npm pack` of this repository, installed in another directory
 * without devDependencies, then `npx docflow verify` (README), with a PATH that has Node and npm but
 * nothing of this repository's node_modules. The local stack is not used.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');
const dir = tempDir('docflow-cli-package-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Node (the one running the tests) and the system's tools, but not node_modules/.bin of this repository. */
const PATH = [
  dirname(process.execPath),
  ...(process.env.PATH ?? '').split(delimiter).filter((p) => !p.startsWith(repoRoot)),
].join(delimiter);
// An auditor's shell: no NODE_OPTIONS or loaders of this test run, but the machine's network settings (a
// proxy, extra CA certificates) that npm needs to reach the registry for what its cache lacks.
const NETWORK =
  /^(https?_proxy|no_proxy|node_extra_ca_certs|ssl_cert_file|ssl_cert_dir|npm_config_(cafile|registry|proxy|https_proxy|strict_ssl))$/i;
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => NETWORK.test(name))),
  PATH,
  HOME: process.env.HOME ?? dir,
  npm_config_update_notifier: 'false',
};

describe('the packed CLI', () => {
  it('installs from `npm pack` with --omit=dev and verifies with `npx docflow verify`', async () => {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', dir], {
        cwd: repoRoot,
        env,
        encoding: 'utf8',
      }),
    ) as { filename: string }[];
    const tarball = join(dir, packed[0]?.filename ?? '');
    const auditor = join(dir, 'auditor');
    execFileSync('mkdir', ['-p', auditor]);
    writeFileSync(join(auditor, 'package.json'), '{ "name": "auditor", "private": true }\n');
    // Without a lockfile npm resolves the newest versions, so the package lists are revalidated: with
    // --prefer-offline a list cached before a dependency's new release named a version it did not know.
    // The tarballs themselves still come from npm's cache when `npm ci` filled it.
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
      cwd: auditor,
      env,
      stdio: 'pipe',
    });
    const installed = join(auditor, 'node_modules', 'docflow');
    expect(existsSync(join(installed, 'cli', 'bundle', 'docflow.mjs'))).toBe(true);
    for (const dev of ['tsx', 'esbuild', 'typescript'])
      expect(existsSync(join(auditor, 'node_modules', dev)), dev).toBe(false);

    const pki = await cityPki();
    const { sealed } = await signingChain(pki, 1);
    const pdf = join(auditor, 'decision.pdf');
    writeFileSync(pdf, sealed);
    const root = join(auditor, 'root.pem');
    writeFileSync(root, pemEncode('CERTIFICATE', pki.root.certificate));

    const npx = (cwd: string, ...args: string[]) =>
      spawnSync('npx', ['--no-install', 'docflow', ...args], { cwd, env, encoding: 'utf8' });
    const verified = npx(auditor, 'verify', pdf, '--trust', root, '--lang', 'en');
    expect(verified.status, `${verified.stdout}${verified.stderr}`).toBe(0);
    expect(verified.stdout).toContain('RESULT: every signature is valid.');
    const untrusted = npx(auditor, 'verify', pdf, '--lang', 'en');
    expect(untrusted.status, untrusted.stdout).toBe(1);
    expect(untrusted.stdout).toContain('Warning: no --trust given');

    // The installed package is the repository without devDependencies: `npx docflow` from inside it.
    const inside = npx(installed, 'verify', pdf, '--trust', root, '--json');
    expect(inside.status, inside.stderr).toBe(0);
    expect(JSON.parse(inside.stdout)).toMatchObject({ verdict: 'valid', fileSize: sealed.length });
  }, 300_000);
});
