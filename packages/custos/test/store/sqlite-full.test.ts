// The SQLite store on a full disk (a small tmpfs): a transaction that hits SQLITE_FULL rejects with SQLITE_FULL, which
// isUnavailable maps to UNAVAILABLE, not with Kysely's "cannot rollback - no transaction is active" (SQLite has already
// rolled it back); nothing of it is written, and the store works again once space is freed. Needs root to mount:
// skipped loudly otherwise.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUnavailable, meta, openSqliteStore } from '../../src/store/index.js';

const root = mkdtempSync(join(tmpdir(), 'custos-sqlite-full-'));
const mountPoint = join(root, 'mnt');
mkdirSync(mountPoint);
let cannotMount: string | undefined;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (error) {
  cannotMount = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
  console.warn(`SKIPPED SQLite disk-full tests: cannot mount a tmpfs at ${mountPoint} (${cannotMount}); run as root`);
  rmSync(root, { recursive: true, force: true });
}

it('isUnavailable: a full disk (SQLITE_FULL, ENOSPC, EDQUOT, PostgreSQL 53100) yes, other SQLite errors no', () => {
  const coded = (code: string) => Object.assign(new Error('x'), { code });
  for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100']) expect(isUnavailable(coded(code)), code).toBe(true);
  for (const code of ['SQLITE_ERROR', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CORRUPT'])
    expect(isUnavailable(coded(code)), code).toBe(false);
});

(cannotMount === undefined ? describe : describe.skip)('SQLite store on a full tmpfs', () => {
  afterAll(() => {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('a transaction hitting SQLITE_FULL rejects with SQLITE_FULL, writes nothing, and the store recovers', async () => {
    const store = await openSqliteStore(join(mountPoint, 'custos.db'));
    try {
      const fillers: string[] = [];
      for (const size of [256 << 10, 4 << 10, 512]) {
        for (;;) {
          const file = join(mountPoint, `filler-${fillers.length}`);
          try {
            writeFileSync(file, Buffer.alloc(size, 1));
            fillers.push(file);
          } catch {
            rmSync(file, { force: true });
            break;
          }
        }
      }
      const big = 'v'.repeat(64 << 10);
      const error = await store
        .transaction(async (tx) => {
          for (let i = 0; i < 64; i++) await meta.set(tx, `full-${i}`, big);
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect((error as { code?: unknown }).code).toBe('SQLITE_FULL');
      expect(isUnavailable(error)).toBe(true);
      expect(await meta.get(store.db, 'full-0')).toBeUndefined();

      for (const file of fillers) rmSync(file);
      await store.transaction((tx) => meta.set(tx, 'after', 'ok'));
      expect(await meta.get(store.db, 'after')).toBe('ok');
    } finally {
      await store.close();
    }
  });
});
