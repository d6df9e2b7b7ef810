import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { buildPackage } from '../lambdas/core/exchange/build';
import type { PackageHeaderInput } from '../lambdas/core/exchange/model';
import { parsePackage } from '../lambdas/core/exchange/parse';
import { schemaCheck } from '../lambdas/core/exchange/validate';

/*
 * One edXML operation in a fresh process, then its peak RSS on stdout as JSON (bench/exchange.ts spawns it
 * with tsx): `idle` imports what the others do; `build` streams a file into a package file; `parse` streams
 * a package file, its attachment out to a file.
 *
 *   tsx bench/exchange-child.ts <idle|build|parse> <header.json> [input] [output]
 */

const [op = 'idle', headerPath = '', input = '', output = ''] = process.argv.slice(2);
const header = JSON.parse(readFileSync(headerPath, 'utf8')) as PackageHeaderInput;
const check = schemaCheck(
  readFileSync(new URL('../lambdas/core/exchange/qcvn-102-2016.xsd', import.meta.url), 'utf8'),
);
let detail = '';
if (op === 'build') {
  const out = createWriteStream(output);
  let size = 0;
  for await (const chunk of buildPackage(header, () =>
    createReadStream(input, { highWaterMark: 256 * 1024 }),
  )) {
    size += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  detail = `${size} bytes`;
} else if (op === 'parse') {
  const out = createWriteStream(output);
  const parsed = await parsePackage(createReadStream(input, { highWaterMark: 256 * 1024 }), check, () => ({
    write: async (bytes) => {
      if (!out.write(bytes)) await once(out, 'drain');
    },
    end: async () => {
      out.end();
      await once(out, 'finish');
    },
  }));
  detail = `${parsed.attachments[0]?.size} bytes`;
}
process.stdout.write(`${JSON.stringify({ op, maxRssKiB: process.resourceUsage().maxRSS, detail })}\n`);
