// wrapMaterial is where generated, derived and imported material leaves memory: it is wiped whatever happens.
import { describe, expect, it } from 'vitest';
import { SecretBytes, exposeSecret } from '../../src/core/secret-bytes.js';
import type { ServiceContext } from '../../src/service/context.js';
import { wrapMaterial } from '../../src/service/key-versions.js';

const key = { id: '1234abcd-12ab-34cd-56ef-1234567890ab', spec: 'AES_256' } as const;
const contextWith = (wrap: () => Promise<Uint8Array>) => ({ rootOfTrust: { wrap } }) as unknown as ServiceContext;

describe('wrapMaterial', () => {
  it('wipes the material once it is wrapped', async () => {
    const material = SecretBytes.random(32);
    expect(
      await wrapMaterial(
        contextWith(async () => new Uint8Array([1])),
        key,
        1,
        material,
      ),
    ).toEqual(new Uint8Array([1]));
    expect(() => exposeSecret(material)).toThrow(/after wipe/);
  });

  it('wipes the material when wrapping fails, and passes the failure on', async () => {
    const material = SecretBytes.random(32);
    await expect(
      wrapMaterial(
        contextWith(() => Promise.reject(new Error('HSM gone'))),
        key,
        1,
        material,
      ),
    ).rejects.toThrow('HSM gone');
    expect(() => exposeSecret(material)).toThrow(/after wipe/);
  });
});
