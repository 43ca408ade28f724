// The workers of `custos server --workers N` join their primary's data directory lock (store/data-dir-lock.ts): a
// worker given the holder's id joins while that holder holds the lock; given another id, or once the holder has let
// go (its primary ended), it is refused with UNAVAILABLE and must not run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, joinDataDirLock } from '../../src/store/data-dir-lock.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-lock-join-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The code of what `fn` throws. */
function thrownCode(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return 'nothing thrown';
}

describe('joinDataDirLock', () => {
  it("joins the holder named by its id, and is refused with another id or after the holder's release", () => {
    const file = join(root, 'custos.db');
    const held = acquireDataDirLock(file);
    const joined = joinDataDirLock(file, held.holderId);
    expect(joined.holderId).toBe(held.holderId);
    joined.release();
    expect(thrownCode(() => joinDataDirLock(file, 'another-holder'))).toBe('UNAVAILABLE');
    held.release();
    expect(thrownCode(() => joinDataDirLock(file, held.holderId))).toBe('UNAVAILABLE');
    // Free again: the next server takes it.
    acquireDataDirLock(file).release();
  });
});
