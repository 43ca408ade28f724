import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@custos/contract': fileURLToPath(new URL('./packages/contract/src/index.ts', import.meta.url)),
      // Before '@custos/client': an alias matches its subpaths too, and the first match wins.
      '@custos/client/stream': fileURLToPath(new URL('./packages/client/src/stream.ts', import.meta.url)),
      '@custos/client': fileURLToPath(new URL('./packages/client/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
