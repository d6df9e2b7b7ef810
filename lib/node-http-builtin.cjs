// node:http for the Lambda bundles (lib/bundling.ts aliases it here). An ESM `import http from 'node:http'`
// makes Node build the module's ESM facade, which reads every export, among them the lazy WebSocket,
// CloseEvent and MessageEvent getters that load Node's whole bundled undici: tens of milliseconds of cold
// start spent on classes no handler uses. Taken as the CommonJS builtin, nothing is read before it is used.
module.exports = process.getBuiltinModule('node:http');
