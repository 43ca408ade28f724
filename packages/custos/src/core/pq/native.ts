// ML-DSA and ML-KEM through node:crypto (OpenSSL 3.5; Node ≥ 24.7): keys built from the seed-only PKCS#8 form, so
// they equal noble's for the same seed. Pure; must not import store, service or api.
import * as crypto from 'node:crypto';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { InternalError, ValidationError } from '@custos/contract';
import { decodeSpki, encodeSeedPkcs8, encodeSpki } from './der.js';
import type { PqImplementation, PqPrivateHandle } from './implementation.js';
import type { PqParameters } from './parameters.js';

/** Node 24.7's KEM functions; absent from @types/node 20. */
interface NodeKem {
  encapsulate(key: KeyObject): { sharedKey: Buffer; ciphertext: Buffer };
  decapsulate(key: KeyObject, ciphertext: Uint8Array): Buffer;
}
const nodeKem = crypto as unknown as Partial<NodeKem>;

/** True when this node has ML-DSA keys, signatures and ML-KEM encapsulation (probed once). */
export function nativePqAvailable(): boolean {
  if (typeof nodeKem.encapsulate !== 'function' || typeof nodeKem.decapsulate !== 'function') return false;
  try {
    generateKeyPairSync('ml-dsa-44' as 'ed25519');
    generateKeyPairSync('ml-kem-512' as 'x25519');
    return true;
  } catch {
    return false;
  }
}

class NativeHandle implements PqPrivateHandle {
  constructor(
    readonly parameters: PqParameters,
    readonly key: KeyObject,
  ) {}
  toString(): string {
    return '[native private key]';
  }
}

function privateKey(parameters: PqParameters, seed: Uint8Array): KeyObject {
  const der = encodeSeedPkcs8(parameters, seed);
  try {
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

function publicKeyObject(parameters: PqParameters, publicKey: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(encodeSpki(parameters, publicKey)), format: 'der', type: 'spki' });
  } catch {
    throw new ValidationError(`not a valid ${parameters.name} public key`, 'INVALID_PUBLIC_KEY');
  }
}

function keyOf(handle: PqPrivateHandle): KeyObject {
  if (!(handle instanceof NativeHandle)) throw new InternalError('not a node:crypto private key');
  return handle.key;
}

function kemFunctions(): NodeKem {
  const { encapsulate, decapsulate } = nodeKem;
  if (!encapsulate || !decapsulate) throw new InternalError('node:crypto has no ML-KEM');
  return { encapsulate, decapsulate };
}

const contextOption = (context: Uint8Array | undefined) => (context ? { context } : {});

export const nativePq: PqImplementation = {
  name: 'node:crypto',
  publicKey: (parameters, seed) =>
    decodeSpki(
      parameters,
      new Uint8Array(createPublicKey(privateKey(parameters, seed)).export({ type: 'spki', format: 'der' })),
    ),
  prepare: (parameters, seed) => new NativeHandle(parameters, privateKey(parameters, seed)),
  sign(handle, message, options = {}) {
    if (options.deterministic === true) throw new InternalError('node:crypto signs ML-DSA hedged only');
    return new Uint8Array(crypto.sign(null, message, { key: keyOf(handle), ...contextOption(options.context) }));
  },
  verify(parameters, publicKey, message, signature, context) {
    try {
      const key = publicKeyObject(parameters, publicKey);
      return crypto.verify(null, message, { key, ...contextOption(context) }, signature);
    } catch {
      return false;
    }
  },
  encapsulate(parameters, publicKey) {
    const { sharedKey, ciphertext } = kemFunctions().encapsulate(publicKeyObject(parameters, publicKey));
    return { sharedSecret: new Uint8Array(sharedKey), ciphertext: new Uint8Array(ciphertext) };
  },
  decapsulate: (handle, ciphertext) => new Uint8Array(kemFunctions().decapsulate(keyOf(handle), ciphertext)),
};
