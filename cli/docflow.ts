#!/usr/bin/env node
import module from 'node:module';

/*
 * `npx docflow …`: the auditors' offline verifier (main.ts). The bin runs the ahead-of-time build of this
 * file (cli/bundle/, made by cli/bundle.ts): no transpiler and no devDependency at run time.
 *
 * This entry does nothing but turn on Node's compile cache, then load the rest: the cache applies only to
 * modules loaded after it is on, and it saves the parse and compile of the bundle's code on every run
 * after the first (Node ≥ 22.1; absent in older Node, which simply compiles every time).
 */
module.enableCompileCache?.();
const { run } = await import('./main');
process.exitCode = await run(process.argv.slice(2));
