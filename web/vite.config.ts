import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web inbox: built into web/dist, which the local gateway serves at `/` (and CDK deploys to S3 +
 * CloudFront). `static/` holds files copied as they are: `config.js`, which a deployment overwrites with
 * its own `window.DOCFLOW_CONFIG` (Cognito). `public/` is the placeholder served before the first build.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: resolve(import.meta.dirname, 'static'),
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npx vite web` during development: the API comes from a running local stack.
    proxy: { '/api': process.env.DOCFLOW_API ?? 'http://127.0.0.1:3000' },
  },
});
