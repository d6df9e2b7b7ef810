// The layers of docs/ARCHITECTURE.md, kept: every import of the server code, the CLI, the web inbox and the
// CDK app is read and checked against the one-way arrows. A module that imports against them fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

type Layer =
  | 'core'
  | 'ports'
  | 'use-cases'
  | 'adapters'
  | 'contracts'
  | 'http'
  | 'handlers'
  | 'observability'
  | 'deployment'
  | 'routes'
  | 'cli'
  | 'web'
  | 'lib';

const LAYERS: readonly (readonly [prefix: string, layer: Layer])[] = [
  ['lambdas/core/', 'core'],
  ['lambdas/ports/', 'ports'],
  ['lambdas/use-cases/', 'use-cases'],
  ['lambdas/adapters/', 'adapters'],
  ['lambdas/contracts/', 'contracts'],
  ['lambdas/http/', 'http'],
  ['lambdas/handlers/', 'handlers'],
  ['lambdas/observability/', 'observability'],
  ['lambdas/deployment/', 'deployment'],
  ['lambdas/routes.ts', 'routes'],
  ['cli/', 'cli'],
  ['web/src/', 'web'],
  ['lib/', 'lib'],
  ['bin/', 'lib'],
];

/** What each layer may import, besides itself (docs/ARCHITECTURE.md). */
const ALLOWED: Readonly<Record<Layer, readonly Layer[]>> = {
  core: [],
  observability: [],
  deployment: ['core'],
  routes: [],
  ports: ['core'],
  'use-cases': ['ports', 'core', 'observability'],
  // Clients of another function (Lambda Invoke) speak its contract.
  adapters: ['ports', 'core', 'deployment', 'observability', 'contracts'],
  contracts: ['core', 'routes'],
  http: ['contracts', 'ports', 'core', 'observability', 'deployment', 'routes'],
  handlers: [
    'http',
    'contracts',
    'use-cases',
    'adapters',
    'ports',
    'core',
    'observability',
    'deployment',
    'routes',
  ],
  cli: ['core'],
  web: ['contracts', 'core'],
  lib: ['deployment', 'routes', 'contracts', 'core'],
};

function layerOf(path: string): Layer | undefined {
  return LAYERS.find(([prefix]) => path === prefix || path.startsWith(prefix))?.[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

interface Arrow {
  readonly from: string;
  readonly to: string;
}

function arrows(): Arrow[] {
  const files = ['lambdas', 'cli', 'web/src', 'lib', 'bin'].flatMap(sourceFiles);
  return files.flatMap((from) => {
    const info = ts.preProcessFile(readFileSync(join(ROOT, from), 'utf8'), true, true);
    return info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => ({ from, to: relative(ROOT, resolve(ROOT, dirname(from), spec)) }));
  });
}

describe('architecture', () => {
  const all = arrows();

  it('reads the imports of every layer', () => {
    const layers = new Set(all.map((a) => layerOf(a.from)));
    for (const layer of ['core', 'ports', 'use-cases', 'adapters', 'http', 'handlers', 'cli', 'web', 'lib'])
      expect(layers, layer).toContain(layer);
  });

  it('places every server module in a layer', () => {
    const unplaced = sourceFiles('lambdas').filter((f) => !layerOf(f));
    expect(unplaced).toEqual([]);
  });

  it('keeps every arrow pointing the way docs/ARCHITECTURE.md draws it', () => {
    const against = all
      .map((a) => ({ ...a, fromLayer: layerOf(a.from), toLayer: layerOf(a.to) }))
      .filter((a) => a.fromLayer && a.toLayer && a.fromLayer !== a.toLayer)
      .filter((a) => !ALLOWED[a.fromLayer as Layer].includes(a.toLayer as Layer))
      .map((a) => `${a.from} (${a.fromLayer}) → ${a.to} (${a.toLayer})`);
    expect(against).toEqual([]);
  });

  it('keeps the core pure: no AWS SDK, no Powertools, no middy', () => {
    const impure = sourceFiles('lambdas/core').filter((file) =>
      ts
        .preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true)
        .importedFiles.some((f) => /^@aws-sdk\/|^@aws-lambda-powertools\/|^@middy\//.test(f.fileName)),
    );
    expect(impure).toEqual([]);
  });

  it('has no two files whose names differ only by case', () => {
    const files = ['lambdas', 'cli', 'web/src', 'lib', 'local', 'ops', 'test'].flatMap((d) =>
      sourceFiles(d).map((f) => f.toLowerCase()),
    );
    expect(files.filter((f, i) => files.indexOf(f) !== i)).toEqual([]);
  });
});
