// A post-quantum private key expanded from its seed, for the key cache: the chosen implementation's handle, and
// noble's for external μ (node:crypto has none), each made on first use. Pure; must not import store, service or api.
import { InternalError } from '@custos/contract';
import type { KeySpecEntry } from '../key-specs.js';
import { PQ, type PqPrivateHandle } from './implementation.js';
import { NobleHandle, nobleHandle } from './noble.js';
import type { PqParameters } from './parameters.js';
import { exposeSecret, SecretBytes } from '../secret-bytes.js';

export class PqPrivateKey {
  readonly #seed: SecretBytes;
  #handle: PqPrivateHandle | undefined;
  #noble: NobleHandle | undefined;

  /** Takes a copy of the seed. */
  constructor(
    readonly parameters: PqParameters,
    seed: SecretBytes,
  ) {
    this.#seed = SecretBytes.from(exposeSecret(seed));
  }

  /** The handle of the implementation Custos runs on (core/pq/implementation.ts). */
  get handle(): PqPrivateHandle {
    this.#handle ??= PQ.prepare(this.parameters, exposeSecret(this.#seed));
    return this.#handle;
  }

  /** noble's handle: the one way to sign an external μ (FIPS 204 Algorithm 7 from line 7). */
  get noble(): NobleHandle {
    const handle = this.handle;
    this.#noble ??= handle instanceof NobleHandle ? handle : nobleHandle(this.parameters, exposeSecret(this.#seed));
    return this.#noble;
  }

  toString(): string {
    return '[post-quantum private key]';
  }
}

/** The parameter set of an ML-DSA or ML-KEM spec; InternalError for any other (the caller dispatched wrongly). */
export function pqParameters(spec: KeySpecEntry, scheme: PqParameters['scheme']): PqParameters {
  const family = spec.family;
  if (family.material !== 'seed' || family.pq.scheme !== scheme)
    throw new InternalError(`${spec.name} is not ${scheme}`);
  return family.pq;
}

/** A prepared key of the spec, from the cache's or from the seed. */
export function pqPrivateKey(parameters: PqParameters, key: SecretBytes | PqPrivateKey): PqPrivateKey {
  if (key instanceof PqPrivateKey) {
    if (key.parameters !== parameters) throw new InternalError(`prepared key is not ${parameters.name}`);
    return key;
  }
  return new PqPrivateKey(parameters, key);
}
