import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { functions, internalFunctions } from '../lambdas/routes';
import { streamConsumers } from '../lib/stream-consumers';
import { bundleFunction, lambdaLikeEnv } from './lambda-bundles';

const all = { ...functions, ...internalFunctions, ...streamConsumers } as Record<string, { entry: string }>;
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(all);
for (const name of names) {
  const b = await bundleFunction(name, all[name].entry);
  const text = readFileSync(b.file, 'utf8');
  const sdk = [...new Set([...text.matchAll(/from"(@aws-sdk\/[^"]+)"/g)].map((m) => m[1]))];
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const out = execFileSync(
      'node_modules/.bin/node',
      [
        '--enable-source-maps',
        '--input-type=module',
        '--eval',
        'const t=performance.now();await import(process.env.M);process.stdout.write(String(performance.now()-t))',
      ],
      { env: { PATH: process.env.PATH ?? '', ...lambdaLikeEnv(name), M: pathToFileURL(b.file).href } },
    ).toString();
    times.push(Number(out));
  }
  times.sort((a, c) => a - c);
  console.log(
    name.padEnd(24),
    times[3].toFixed(0).padStart(5),
    'ms',
    (b.bytes / 1024).toFixed(0),
    'KiB',
    sdk.join(' '),
  );
}
