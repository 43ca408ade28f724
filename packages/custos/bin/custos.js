#!/usr/bin/env node
// The `custos` command as npm links it. npm links a package's bins when it installs it, before `prepare` builds
// dist/, so the bin must be a file that exists without a build: this one, which runs dist/cli/main.js.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('custos: not built yet: run `npm run build` (or `npm install`) in the Custos checkout\n');
  process.exit(1);
}
await import(main.href);
