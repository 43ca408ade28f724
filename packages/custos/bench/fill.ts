// Fills a data directory with many AES keys fast, for the benchmark's "random keys over a large store" rows:
// `node bench/dist/fill.js <dataDir> <count> [<idsFile>]`. Not part of the product, but no shortcut either: the
// store is made by LocalKms (root key, migrations, row integrity), every key's material is generated and wrapped
// under the root of trust with its AAD, and every row goes in through the store layer (repositories: row MACs), in
// transactions of BATCH keys. The server opens the result and verifies it as any other store (bench.test.ts uses a
// filled store). Writes the key ids, one a line, to <idsFile> (default <dataDir>/key-ids.txt).
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The compiled modules, as the server runs them: this file runs from bench/dist/, beside the package's dist/. */
const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;

const BATCH = 5_000;

export async function fill(dataDir: string, count: number, idsFile = join(dataDir, 'key-ids.txt')): Promise<string[]> {
  const { LocalKms } = (await import(dist('service/local-kms.js'))) as typeof import('../src/service/local-kms.js');
  const { openStore } = (await import(dist('store/index.js'))) as typeof import('../src/store/index.js');
  const repo = (await import(
    dist('store/repositories/index.js')
  )) as typeof import('../src/store/repositories/index.js');
  const { openRootRing } = (await import(
    dist('service/root/open-ring.js')
  )) as typeof import('../src/service/root/open-ring.js');
  const { loadDerivedKeys } = (await import(
    dist('service/root/rotation-state.js')
  )) as typeof import('../src/service/root/rotation-state.js');
  const { loadIntegrityKeys } = (await import(
    dist('service/integrity/keys.js')
  )) as typeof import('../src/service/integrity/keys.js');
  const { materialAad } = (await import(
    dist('service/key-versions.js')
  )) as typeof import('../src/service/key-versions.js');
  const { newKeyRecord } = (await import(
    dist('service/key-loading.js')
  )) as typeof import('../src/service/key-loading.js');
  const { SecretBytes } = (await import(dist('core/secret-bytes.js'))) as typeof import('../src/core/secret-bytes.js');
  const { storeOptions } = (await import(
    dist('service/store-options.js')
  )) as typeof import('../src/service/store-options.js');

  // LocalKms makes the store what a server expects (root key, schema, row integrity), then lets it go.
  await (await LocalKms.open({ dataDir, maintenanceIntervalMs: 0 })).close();
  const store = await openStore(storeOptions({ dataDir }), { dataDir, migrate: false, lock: true });
  const { ring } = await openRootRing({ dataDir }, store);
  const ids: string[] = [];
  try {
    await loadDerivedKeys(store.db, ring);
    await loadIntegrityKeys(ring, store);
    const now = new Date();
    for (let done = 0; done < count; done += BATCH) {
      const rows: { key: typeof ids extends unknown ? ReturnType<typeof newKeyRecord> : never; wrapped: Uint8Array }[] =
        [];
      for (let i = done; i < Math.min(count, done + BATCH); i++) {
        const id = randomUUID();
        const key = newKeyRecord(now, {
          id,
          spec: 'SYMMETRIC_DEFAULT',
          usage: 'ENCRYPT_DECRYPT',
          state: 'Enabled',
          origin: 'AWS_KMS',
          latestVersion: 1,
        });
        const material = SecretBytes.random(32);
        const wrapped = await ring.wrap(material, materialAad(id, 1, key.spec));
        material.wipe();
        rows.push({ key, wrapped });
        ids.push(id);
      }
      await store.transaction(async (tx) => {
        await repo.keys.insertMany(
          tx,
          rows.map((row) => row.key),
        );
        await repo.keyVersions.insertMany(
          tx,
          rows.map(({ key, wrapped }) => ({
            keyId: key.id,
            version: 1,
            wrappedMaterial: wrapped,
            publicKey: null,
            createdAt: now,
            rotationType: null,
            encryptionCount: 0,
          })),
        );
      });
    }
  } finally {
    await store.close();
    await ring.close();
  }
  await writeFile(idsFile, `${ids.join('\n')}\n`);
  return ids;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const [, , dataDir, count, idsFile] = process.argv;
  if (!dataDir || !count) {
    process.stderr.write('usage: fill.js <dataDir> <count> [<idsFile>]\n');
    process.exit(2);
  }
  const started = Date.now();
  await fill(dataDir, Number(count), idsFile);
  process.stderr.write(`filled ${count} keys in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
