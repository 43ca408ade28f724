// `npm run pack` (after `npm run build`): the published packages as installable tarballs in dist-packages/ (or in the
// folder given as the one argument: node scripts/pack-packages.js <dir>).
// The contract is packed too, and each dependent names the exact version packed beside it, so an application installs
// the tarballs together (`npm install dist-packages/*.tgz`) and npm resolves every @custos dependency from the files,
// never from a registry. Refuses (exit 1) a dependent that names another version than the one packed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = process.argv[2] ? resolve(process.argv[2]) : join(ROOT, 'dist-packages');
// In dependency order; the names of the workspace folders.
const PACKAGES = ['contract', 'client', 'custos'];

const manifests = PACKAGES.map((dir) => JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')));
const versions = new Map(manifests.map((m) => [m.name, m.version]));

const mismatches = manifests.flatMap((m) =>
  Object.entries({ ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies })
    .filter(([name, range]) => versions.has(name) && range !== versions.get(name))
    .map(([name, range]) => `${m.name} depends on ${name}@${range}, but ${versions.get(name)} is packed`),
);
if (mismatches.length > 0) {
  process.stderr.write(`pack: ${mismatches.join('\n')}\nname the exact version packed beside it\n`);
  process.exit(1);
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const workspaces = PACKAGES.flatMap((dir) => ['--workspace', `packages/${dir}`]);
const stdout = execFileSync('npm', ['pack', ...workspaces, '--pack-destination', OUT, '--json', '--silent'], {
  cwd: ROOT,
  encoding: 'utf8',
});
const files = JSON.parse(stdout).map((p) => join(OUT, p.filename));
process.stdout.write(
  `${files.map((f) => relative(process.cwd(), f)).join('\n')}\n\ninstall them together:\n  npm install ${files.join(' ')}\n`,
);
