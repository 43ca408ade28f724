// scripts/pack-packages.js refuses to pack a dependent that names another version of a workspace than the one it
// packs: npm would then look for that @custos package on the public registry. Run on a copy of the script beside
// a made-up packages/ tree (the script packs the tree it sits in).
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../../../scripts/pack-packages.js', import.meta.url));
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tree(clientDependsOn: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'custos-pack-'));
  dirs.push(root);
  await mkdir(join(root, 'scripts'));
  await copyFile(SCRIPT, join(root, 'scripts/pack-packages.js'));
  const manifests = {
    contract: { name: '@custos/contract', version: '0.2.0' },
    client: { name: '@custos/client', version: '0.2.0', dependencies: { '@custos/contract': clientDependsOn } },
    custos: {
      name: 'custos',
      version: '0.2.0',
      dependencies: { '@custos/client': '0.2.0', '@custos/contract': '0.2.0' },
    },
  };
  for (const [dir, manifest] of Object.entries(manifests)) {
    await mkdir(join(root, 'packages', dir), { recursive: true });
    await writeFile(join(root, 'packages', dir, 'package.json'), JSON.stringify({ ...manifest, type: 'module' }));
  }
  return root;
}

describe('npm run pack (scripts/pack-packages.js)', () => {
  it('refuses a dependent that names another version than the one packed, and writes nothing', async () => {
    const root = await tree('^0.1.0');
    const failed = await promisify(execFile)(process.execPath, [join(root, 'scripts/pack-packages.js')], { cwd: root })
      .then(() => undefined)
      .catch((e: unknown) => e as { code: number; stderr: string });
    expect(failed).toMatchObject({ code: 1 });
    expect(failed!.stderr).toContain('@custos/client depends on @custos/contract@^0.1.0, but 0.2.0 is packed');
    expect(await readdir(root)).not.toContain('dist-packages');
  });
});
