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
    rollupOptions: {
      // Two pages: the inbox, and the public verification page anyone opens without signing in.
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        verify: resolve(import.meta.dirname, 'verify.html'),
      },
      // The screens check answers with the API's zod contracts (lambdas/contracts/); zod's own comments
      // placed for esbuild are notes Rollup cannot read, and it says so at every build.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite web` during development: the API comes from a running local stack.
    proxy: { '/api': process.env.DOCFLOW_API ?? 'http://127.0.0.1:3000' },
  },
});
