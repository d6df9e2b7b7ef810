// The entry of a local function's worker thread: TypeScript through tsx (as `npm start` runs everything),
// then the worker proper (worker.ts). Plain JavaScript so that it loads in any parent, tsx or not.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
