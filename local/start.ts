import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MissingPrerequisite } from './services';
import { startLocalStack } from './stack';

const usage = `Usage: npm start -- [--port 3000] [--host 127.0.0.1] [--data-dir .data] [--fresh] [--json]

  --port      one port for the API (/api) and the web inbox (/), default 3000 (0: any free port)
  --data-dir  where DynamoDB Local, s3rver, the KMS emulator and the identity provider keep their data
  --fresh     wipe the data directory and seed again from scratch
  --json      also print one machine-readable line (READY {...}) once everything is up`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: '.data' },
    fresh: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

const started = performance.now();
console.log(`docflow: starting the local stack (data in ${resolve(values['data-dir'])})`);
try {
  // A service that keeps dying (local/services.ts supervises DynamoDB Local): stop with the reason, exit 1.
  let fatal: ((reason: string) => void) | undefined;
  const stack = await startLocalStack({
    dataDir: values['data-dir'],
    port: Number(values.port),
    host: values.host,
    fresh: values.fresh,
    log: (line) => console.log(line),
    onFatal: (reason) => fatal?.(reason),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
docflow is up in ${seconds} s:
  web inbox        ${stack.url}/
  API              ${stack.url}/api   (health: ${stack.url}/api/health, OpenAPI: ${stack.url}/api/openapi.json)
  demo users       ${stack.url}/api/dev/users   (sign in: POST ${stack.url}/api/dev/login {"userId": "…"})
Press Ctrl-C to stop.`);
  if (values.json)
    console.log(
      `READY ${JSON.stringify({ url: stack.url, dataDir: stack.dataDir, services: stack.services, environment: stack.environment, functions: stack.functions, breakGlass: stack.breakGlass })}`,
    );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\ndocflow: ${signal} received, stopping…`);
    await stack.stop();
    console.log('docflow: stopped.');
    process.exit(0);
  };
  fatal = (reason) => {
    if (stopping) return;
    stopping = true;
    console.error(`\ndocflow: ${reason}\ndocflow: stopping the local stack.`);
    void stack.stop().finally(() => process.exit(1));
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof MissingPrerequisite) {
    console.error(`docflow: cannot start: ${error.message}`);
    process.exit(2);
  }
  console.error('docflow: failed to start:', error);
  process.exit(1);
}
