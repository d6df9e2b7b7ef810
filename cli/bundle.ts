import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Plugin } from 'esbuild';

/*
 * The CLI is built ahead of time into cli/bundle/ and the build is committed: `bin.docflow` runs it with
 * plain `node`, so `npx docflow` works straight after `npm ci`, after `npm ci --omit=dev` (no esbuild, no
 * tsx: a build step at install could not run there) and from a tarball made by `npm pack` (which ships the
 * committed files as they are). test/unit/cli-bundle.test.ts rebuilds it in memory and fails when the
 * committed build differs: after changing the CLI or the core it uses, run `npm run build:cli`.
 *
 *   tsx cli/bundle.ts     (npm run build:cli) writes cli/bundle/
 */

export const CLI_SOURCE_DIR = import.meta.dirname;
export const CLI_BUNDLE_DIR = join(CLI_SOURCE_DIR, 'bundle');
/** What `bin.docflow` in package.json points to. */
export const CLI_ENTRY = join(CLI_BUNDLE_DIR, 'docflow.mjs');

/** cli/main.ts loads cli/full.ts by import('./full'): in the bundles, the separately built full.mjs. */
function fullBuildAt(path: string): Plugin {
  return {
    name: 'docflow-cli-full',
    setup(build) {
      build.onResolve({ filter: /^\.\/full$/ }, () => ({ path, external: true }));
    },
  };
}

/**
 * Node's built-ins through `process.getBuiltinModule` (Node ≥ 20.16) instead of ESM imports: the first
 * `import … from 'node:fs'` builds that module's ESM facade, which reads every export, lazy ones included,
 * and `fs.ReadStream` alone loads Node's whole stream implementation (measured: ~20 ms of a 20 ms-pdfsig
 * verification). Each name becomes a pure read of the module object, so esbuild keeps only those used.
 */
const builtinsWithoutFacade: Plugin = {
  name: 'docflow-cli-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
      isBuiltin(args.path) ? { path: args.path.replace(/^node:/, ''), namespace: 'node-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, async (args) => {
      const specifier = `node:${args.path}`;
      const names = Object.keys((await import(specifier)) as object).filter(
        (name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name),
      );
      return {
        loader: 'js',
        contents: [
          `const m = process.getBuiltinModule(${JSON.stringify(specifier)});`,
          'export default m;',
          ...names.map((name) => `export const ${name} = /* @__PURE__ */ (() => m.${name})();`),
        ].join('\n'),
      };
    });
  },
};

/**
 * Packages verifying a PDF does not run: pkijs and asn1js build certificates, CRLs and CMS; zod checks the
 * other commands' input (the core builds its schemas on first use).
 */
const LOADED_ON_FIRST_USE = ['pkijs', 'asn1js', 'zod'];

/**
 * These packages evaluated on first use instead of at load: the PKI core imports pkijs and asn1js at its
 * top level (building certificates, CRLs and CMS needs them), but verifying reads every structure with its
 * own DER reader and reaches them only on rare paths (a name that differs byte for byte, an unusual time
 * form); zod is for the other commands. Evaluating them cost ~20 ms of every run. docflow's imports of them get a stand-in module whose every
 * export is a proxy; the first touch of any one `require`s the real package, which esbuild then wraps in
 * a closure run on that first call. libpdf's imports of them go the same way (its object model imports
 * asn1js at its top level); the packages' own imports of each other get the real modules.
 */
const REAL = Symbol('the real package');
const loadedOnFirstUse: Plugin = {
  name: 'docflow-cli-loaded-on-first-use',
  setup(build) {
    const filter = new RegExp(`^(${LOADED_ON_FIRST_USE.join('|')})$`);
    const inLoadedOnFirstUse = new RegExp(`/node_modules/(${LOADED_ON_FIRST_USE.join('|')})/`);
    build.onResolve({ filter }, (args) =>
      inLoadedOnFirstUse.test(args.importer) || args.pluginData === REAL
        ? undefined
        : { path: args.path, namespace: 'first-use' },
    );
    build.onLoad({ filter: /.*/, namespace: 'first-use' }, async (args) => {
      const real = await build.resolve(args.path, {
        kind: 'import-statement',
        resolveDir: CLI_SOURCE_DIR,
        pluginData: REAL,
      });
      if (real.errors.length > 0) return { errors: real.errors };
      const names = Object.keys((await import(args.path)) as object).filter(
        (name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name),
      );
      return {
        loader: 'js',
        resolveDir: CLI_SOURCE_DIR,
        contents: [
          `let m; const load = () => (m ??= require(${JSON.stringify(real.path)}));`,
          // A function target, so that the proxy can be called and constructed as the real export can.
          'const lazy = (name) => { let v; const get = () => (v ??= load()[name]);',
          '  const p = new Proxy(function () {}, {',
          '    get: (_, k) => Reflect.get(get(), k), has: (_, k) => Reflect.has(get(), k),',
          '    set: (_, k, x) => Reflect.set(get(), k, x), getPrototypeOf: () => Reflect.getPrototypeOf(get()),',
          '    apply: (_, self, a) => Reflect.apply(get(), self, a),',
          '    construct: (_, a, t) => Reflect.construct(get(), a, t === p ? get() : t) });',
          '  return p; };',
          // Exported by alias: some names are reserved words (zod's `catch`).
          ...names.map((name, i) => `const x${i} = /* @__PURE__ */ lazy(${JSON.stringify(name)});`),
          `export { ${names.map((name, i) => `x${i} as ${name}`).join(', ')} };`,
        ].join('\n'),
      };
    });
  },
};

const COMMON: BuildOptions = {
  outdir: CLI_BUNDLE_DIR,
  bundle: true,
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  platform: 'node',
  // An auditor's machine may run an older Node than the project's pinned one (after `--omit=dev` there is
  // no pinned one): the syntax stays what Node 20 reads. Checked with Debian's Node 20 and the pinned 24.
  target: 'node20',
  minify: true,
  charset: 'utf8',
  mainFields: ['module', 'main'],
  legalComments: 'eof',
  banner: { js: '// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.' },
  logLevel: 'warning',
};

/**
 * The two builds. `docflow.mjs` (the bin): a small entry, and each command's code in chunks loaded by
 * import() when that command runs, so nothing else is read, parsed or evaluated. `full.mjs`: the same CLI
 * with libpdf's whole-file parser, in one file, for the rare file that needs it (cli/main.ts).
 */
export const CLI_BUILDS: readonly BuildOptions[] = [
  {
    ...COMMON,
    entryPoints: { docflow: join(CLI_SOURCE_DIR, 'docflow.ts') },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // main.ts's code lands in chunks/.
    plugins: [fullBuildAt('../full.mjs'), builtinsWithoutFacade, loadedOnFirstUse],
  },
  {
    ...COMMON,
    entryPoints: { full: join(CLI_SOURCE_DIR, 'full.ts') },
    plugins: [fullBuildAt('./full.mjs'), builtinsWithoutFacade, loadedOnFirstUse],
  },
];

/** The CLI built in memory: each file's path relative to cli/bundle/ and its bytes. */
export async function buildCliInMemory(): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const options of CLI_BUILDS) {
    const result = await build({ ...options, write: false });
    for (const f of result.outputFiles) files.set(relative(CLI_BUNDLE_DIR, f.path), f.contents);
  }
  return files;
}

/** The committed build, as buildCliInMemory returns it. */
export async function readCommittedCli(): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const entry of await readdir(CLI_BUNDLE_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(CLI_BUNDLE_DIR, path), new Uint8Array(await readFile(path)));
  }
  return files;
}

/** Replaces cli/bundle/ with a fresh build (chunks of an older build would linger otherwise). */
export async function writeCli(): Promise<string[]> {
  const files = await buildCliInMemory();
  await rm(CLI_BUNDLE_DIR, { recursive: true, force: true });
  for (const [path, contents] of files) {
    const to = join(CLI_BUNDLE_DIR, path);
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, contents);
  }
  await chmod(CLI_ENTRY, 0o755);
  return [...files.keys()].sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = await writeCli();
  console.log(`cli/bundle/: ${written.join(', ')}`);
}
