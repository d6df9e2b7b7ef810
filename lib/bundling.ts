import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';

/** pako over node:zlib (lib/pako-on-node-zlib.ts): 47 KiB less in every function that carries libpdf. */
const PAKO_ON_NODE_ZLIB = join(import.meta.dirname, 'pako-on-node-zlib.ts');
/** node:http without its ESM facade, which loads Node's bundled undici (lib/node-http-builtin.cjs). */
const NODE_HTTP_BUILTIN = join(import.meta.dirname, 'node-http-builtin.cjs');

/**
 * How every Lambda bundle is built, shared by the stack (NodejsFunction) and the bundle benchmark (esbuild
 * directly), so the benchmark measures exactly what is deployed.
 */
export const LAMBDA_BUNDLE = {
  format: 'esm',
  platform: 'node',
  /** The runtime's Node major (LAMBDA_RUNTIME); arm64 changes nothing in JavaScript output. */
  target: 'node24',
  minify: true,
  sourcemap: true,
  /** Stack traces need the mappings only; embedding every source file would triple the artifact. */
  sourcesContent: false,
  /** Vietnamese messages stay readable UTF-8 instead of \u escapes that would grow the bundle. */
  charset: 'utf8',
  mainFields: ['module', 'main'],
  /** The Node.js Lambda runtimes ship the AWS SDK v3; NodejsFunction leaves it out by default too. */
  external: ['@aws-sdk/*'],
  alias: { pako: PAKO_ON_NODE_ZLIB, 'node:http': NODE_HTTP_BUILTIN, http: NODE_HTTP_BUILTIN },
  /** ESM bundles still meet CommonJS dependencies that call require(). */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * LAMBDA_BUNDLE for esbuild's JS API: the options that decide what the bundle contains. Callers add where
 * it goes (outfile and source maps, or `write: false` to bundle in memory).
 */
export const LAMBDA_ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  format: LAMBDA_BUNDLE.format,
  platform: LAMBDA_BUNDLE.platform,
  target: LAMBDA_BUNDLE.target,
  minify: LAMBDA_BUNDLE.minify,
  charset: LAMBDA_BUNDLE.charset,
  mainFields: [...LAMBDA_BUNDLE.mainFields],
  external: [...LAMBDA_BUNDLE.external],
  alias: { ...LAMBDA_BUNDLE.alias },
  banner: { js: LAMBDA_BUNDLE.banner },
};
