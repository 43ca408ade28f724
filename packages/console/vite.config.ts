// Builds the web console (docs/console.md) into packages/custos/console-dist, which the custos package ships and
// serves at /console: same origin, hashed assets, no inline script (the server's Content-Security-Policy forbids it).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../custos/console-dist/', import.meta.url)),
    emptyOutDir: true,
    // No inlined assets: data: URLs aside, everything comes from 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    reportCompressedSize: false,
  },
});
