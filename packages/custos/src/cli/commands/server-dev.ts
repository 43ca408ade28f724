// `custos server --dev` (docs/dev-mode.md): the development settings taken out of the server settings, and the
// temporary data directory. Must not import the store or service (types only from the api, erased at runtime).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ServerOptions } from '../../api/server.js';
import { UsageError } from '../errors.js';
import type { ServerSettings } from './server-settings.js';

/**
 * --dev: the development settings (seed, seed file, made absolute) taken out of the server settings, and a fresh
 * temporary data directory unless one was named. Loopback and the root of trust are startServer's checks.
 */
export async function devSettings(
  s: ServerSettings,
  dataDirDefaulted: boolean,
): Promise<{ settings: ServerSettings; dev: NonNullable<ServerOptions['dev']>; temporary: boolean }> {
  const { devSeed, devSeedFile, ...rest } = s;
  if (devSeed === '') throw new UsageError('--dev-seed must not be empty');
  const dataDir = dataDirDefaulted ? await mkdtemp(join(tmpdir(), 'custos-dev-')) : s.dataDir;
  return {
    settings: { ...rest, dataDir },
    dev: {
      ...(devSeed !== undefined && { seed: devSeed }),
      ...(devSeedFile !== undefined && { seedFile: resolve(devSeedFile) }),
    },
    temporary: dataDirDefaulted,
  };
}
