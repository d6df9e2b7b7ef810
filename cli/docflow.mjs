#!/usr/bin/env node
// `npx docflow …`: runs the TypeScript CLI through tsx (a dependency of the repo), with no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./docflow.ts');
process.exitCode = await run(process.argv.slice(2));
