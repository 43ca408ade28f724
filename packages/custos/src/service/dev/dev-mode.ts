// Development mode (custos server --dev): the movable clock (real time + an offset kept in the store, so it never
// goes back), the seed key ids and material derive from, and the store's development marker. Must not import api.
import { randomUUID } from 'node:crypto';
import { DevModeError } from '@custos/contract';
import { deriveKeyMaterial, devKeyId } from '../../core/dev/derived-material.js';
import { generateKeyMaterial, type GeneratedKey } from '../../core/key-material.js';
import type { KeySpecEntry } from '../../core/key-specs.js';
import type { Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';

/** `meta` rows: the marker a development store carries from its first start on, and the clock's offset. */
const DEV_MARKER = 'dev_mode';
const CLOCK_OFFSET = 'dev_clock_offset_ms';
/** Written on a store's first start; its presence means the store was bound to a root key. */
const BOUND = 'root_key_check_value';

/** What LocalKms is told to run in development mode with. */
export interface DevModeSettings {
  /** Key ids and material derive from this seed (HKDF); absent, they are random as outside development mode. */
  readonly seed?: string;
  /** A JSON or YAML file of keys and aliases to create at start (local-kms's seed format, docs/dev-mode.md). */
  readonly seedFile?: string;
}

/**
 * Refuses, before anything is written, a store made in the other mode: `--dev` on a store made without it, or a
 * development store (its keys derive from a known seed) opened without `--dev`. Returns whether the store is new.
 */
export async function checkDevMarker(db: Db, dev: boolean): Promise<{ fresh: boolean }> {
  const bound = await repo.meta.peek(db, BOUND);
  const marked = (await repo.meta.peek(db, DEV_MARKER)) !== undefined;
  if (bound === undefined && !marked) return { fresh: true };
  if (dev && !marked)
    throw new DevModeError(
      'this data directory was made without --dev: development mode never opens a production store',
      'DEV_MODE_MISMATCH',
    );
  if (!dev && marked)
    throw new DevModeError(
      'this data directory was made in development mode (its keys may derive from a known seed): start it with ' +
        '--dev, or make a new data directory for production',
      'DEV_MODE_MISMATCH',
    );
  return { fresh: false };
}

/** Marks a new store as a development store (before it is bound to its root key, so a crash cannot skip it). */
export async function markDevStore(db: Db): Promise<void> {
  await repo.meta.set(db, DEV_MARKER, new Date().toISOString());
}

/** A development server's clock and key derivation; one per LocalKms (`ServiceContext.dev`). */
export class DevMode {
  #offsetMs: number;
  #created: number;
  readonly #seed: Uint8Array | undefined;

  private constructor(seed: Uint8Array | undefined, offsetMs: number, created: number) {
    this.#seed = seed;
    this.#offsetMs = offsetMs;
    this.#created = created;
  }

  /** Reads the clock's offset and how many keys the store holds (the next derived key id's index). */
  static async load(db: Db, settings: DevModeSettings): Promise<DevMode> {
    const offset = Number((await repo.meta.get(db, CLOCK_OFFSET)) ?? '0');
    const counts = await repo.keys.countByState(db);
    const keys = Object.values(counts).reduce((a, b) => a + b, 0);
    const seed = settings.seed === undefined ? undefined : new Uint8Array(Buffer.from(settings.seed, 'utf8'));
    return new DevMode(seed, Number.isSafeInteger(offset) && offset > 0 ? offset : 0, keys);
  }

  /** Whether key ids and material derive from a seed. */
  get seeded(): boolean {
    return this.#seed !== undefined;
  }

  /** Real time plus the offset: the `now` of every rule and job of a development server. */
  readonly now = (): Date => new Date(Date.now() + this.#offsetMs);

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Moves the clock forward by `ms`: the new offset is written in `transaction` (with the call's audit record) and
   * used once that commits.
   */
  async advance(transaction: (fn: (tx: Db) => Promise<void>) => Promise<void>, ms: number): Promise<void> {
    const next = this.#offsetMs + ms;
    await transaction((tx) => repo.meta.set(tx, CLOCK_OFFSET, String(next)));
    this.#offsetMs = Math.max(this.#offsetMs, next);
  }

  /**
   * The id of the next key CreateKey makes: derived from the seed and a per-store creation counter (skipping ids
   * already taken, e.g. by a seed file), or random without a seed.
   */
  async nextKeyId(taken: (id: string) => Promise<boolean>): Promise<string> {
    if (this.#seed === undefined) return randomUUID();
    for (;;) {
      const id = devKeyId(this.#seed, this.#created++);
      if (!(await taken(id))) return id;
    }
  }

  /** Material for a key's version: derived from the seed, or random without one. */
  material(spec: KeySpecEntry, keyId: string, version: number): Promise<GeneratedKey> {
    return this.#seed === undefined ? generateKeyMaterial(spec) : deriveKeyMaterial(spec, this.#seed, keyId, version);
  }
}

/** New material for version `version` of key `keyId`: the development seed's when there is one, else random. */
export function newKeyMaterial(
  ctx: { readonly dev?: DevMode },
  spec: KeySpecEntry,
  keyId: string,
  version: number,
): Promise<GeneratedKey> {
  return ctx.dev ? ctx.dev.material(spec, keyId, version) : generateKeyMaterial(spec);
}
