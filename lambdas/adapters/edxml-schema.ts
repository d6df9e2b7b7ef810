import { existsSync, readFileSync } from 'node:fs';
import type { SchemaCheck } from '../core/exchange/parse';
import { schemaCheck } from '../core/exchange/validate';

/*
 * The edXML schema (lambdas/core/exchange/qcvn-102-2016.xsd, data in the repository) for the functions that
 * exchange: beside a Lambda bundle (the directory copied by DocflowFunction's `assets`), or in the source
 * tree. Read once per process.
 */
const NAME = 'qcvn-102-2016.xsd';

function schemaFile(): URL {
  const candidates = [
    new URL(`./lambdas/core/exchange/${NAME}`, import.meta.url),
    new URL(`../core/exchange/${NAME}`, import.meta.url),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found)
    throw new Error(
      `the edXML schema is missing (looked at ${candidates.map((c) => c.pathname).join(', ')})`,
    );
  return found;
}

let check: SchemaCheck | undefined;

export const edxmlSchema: SchemaCheck = (xml) => {
  check ??= schemaCheck(readFileSync(schemaFile(), 'utf8'));
  return check(xml);
};
