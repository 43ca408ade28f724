// A call that read a key version before a root rotation re-wrapped its row can reach the root ring after the old
// root key has left it (the rotation promotes the new one while calls run). It must still succeed: the row is read
// again and its new wrapped bytes unwrapped. A record whose bytes did not change keeps its failure. The same holds
// for an access key's secret, whose lookup is cached with its wrapped bytes, an import token's wrapping key and a
// custom key store's PIN (SoftHSM2).
import { createSecretKey } from 'node:crypto';
import { type Caller, UnavailableError } from '@custos/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exposeSecret, SecretBytes } from '../../src/core/secret-bytes.js';
import { rootOfTrustFromKey } from '../../src/keystore/file/index.js';
import { RootRing } from '../../src/keystore/root-ring.js';
import { AccessKeyAuthenticator } from '../../src/service/authenticate-access-key.js';
import { DEFAULT_CONFIG, type ServiceContext } from '../../src/service/context.js';
import { TokenHasher } from '../../src/service/integrity/keys.js';
import { KeyService } from '../../src/service/key-service.js';
import { unwrapVersion } from '../../src/service/key-versions.js';
import { decodeToken, tokenAad, unwrapTokenKey } from '../../src/service/operations/get-parameters-for-import.js';
import { SERVICE_OPERATIONS } from '../../src/service/operations/index.js';
import { WRAPPED_COLUMNS } from '../../src/service/root/wrapped-columns.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import * as repo from '../../src/store/repositories/index.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { withRowKey } from '../helpers/row-key.js';
import { describeSoftHsm, makeToken } from '../helpers/softhsm.js';
import { KeyStoreRegistry, keyStorePinAad } from '../../src/service/hsm/key-stores.js';
import type { CustomKeyStoreRecord } from '../../src/store/types.js';

const ADMIN: Caller = { principal: 'admin', roles: ['admin'] };

describe('unwrapping a version read before a root rotation', () => {
  let store: Store;
  let ring: RootRing;
  let service: KeyService;
  beforeEach(async () => {
    store = withRowKey(await openSqliteStore(':memory:'));
    ring = new RootRing(rootOfTrustFromKey(SecretBytes.random(32)));
    service = new KeyService({
      store,
      rootOfTrust: ring,
      tokenHasher: new TokenHasher(createSecretKey(new Uint8Array(32))),
      auditSink: { commit: async () => ({ firstSeq: 1, hashes: [] }), close: async () => undefined },
      config: DEFAULT_CONFIG,
      now: () => new Date(),
      logger: { error: () => undefined },
    });
  });
  afterEach(async () => {
    await service.close();
    await store.close();
    await ring.close();
  });

  /** A key, its version as read now, and the material that version holds. */
  async function keyWithStaleVersion() {
    const { keyId } = (await service.run(SERVICE_OPERATIONS.createKey, {}, ADMIN)).keyMetadata;
    const key = (await repo.keys.get(store.db, keyId))!;
    const stale = (await repo.keyVersions.get(store.db, keyId, 1))!;
    const material = await unwrapVersion(service.context, key, stale);
    const bytes = Buffer.from(exposeSecret(material));
    material.wipe();
    service.context.cache.clear(); // as the rotation does once every row is re-wrapped
    return { key, stale, bytes };
  }

  /** What a rotation does to the store and the ring: every wrapped row re-wrapped under a new root, then promoted. */
  async function rotate(): Promise<void> {
    await ring.addNext(rootOfTrustFromKey(SecretBytes.random(32)));
    const kcv = ring.writeKeyCheckValue;
    for (const column of WRAPPED_COLUMNS)
      for (const row of await repo.rootRewrap.listPending(store.db, column, kcv, 100)) {
        const material = await ring.unwrap(row.wrapped, column.aad(row));
        try {
          const rewrapped = await ring.wrap(material, column.aad(row));
          expect(await repo.rootRewrap.setRewrapped(store.db, column, row, rewrapped, kcv)).toBe(true);
        } finally {
          material.wipe();
        }
      }
    await ring.promote(); // the old root key is gone from the ring
  }

  it('reads the re-wrapped row again and unwraps it under the new root', async () => {
    const { key, stale, bytes } = await keyWithStaleVersion();
    await rotate();
    const material = await unwrapVersion(service.context, key, stale);
    expect(Buffer.from(exposeSecret(material))).toEqual(bytes);
    material.wipe();
  });

  it("unwraps a cached access key's secret after its row was re-wrapped", async () => {
    const created = await service.run(SERVICE_OPERATIONS.createAccessKey, { roles: ['key-user'] }, ADMIN);
    const authenticator = new AccessKeyAuthenticator(service.context);
    try {
      const found = await authenticator.authenticate(created.accessKeyId); // cached, with the old wrapped bytes
      await rotate();
      const secret = await found.secretAccessKey();
      expect(new TextDecoder().decode(exposeSecret(secret))).toBe(created.secretAccessKey);
      secret.wipe();
      // Revoked meanwhile: nothing is read back, the first failure stands.
      const other = await service.run(SERVICE_OPERATIONS.createAccessKey, {}, ADMIN);
      const stale = await authenticator.authenticate(other.accessKeyId);
      await rotate();
      await service.run(SERVICE_OPERATIONS.revokeAccessKey, { accessKeyId: other.accessKeyId }, ADMIN);
      await expectKmsError(stale.secretAccessKey(), 'INTERNAL');
    } finally {
      await authenticator.drain();
    }
  });

  it("unwraps an import token's wrapping key after its row was re-wrapped", async () => {
    const { keyId } = (await service.run(SERVICE_OPERATIONS.createKey, { origin: 'EXTERNAL' }, ADMIN)).keyMetadata;
    const { importToken } = await service.run(
      SERVICE_OPERATIONS.getParametersForImport,
      { keyId, wrappingAlgorithm: 'RSAES_OAEP_SHA_256', wrappingKeySpec: 'RSA_2048' },
      ADMIN,
    );
    const stale = (await repo.importTokens.get(store.db, decodeToken(importToken)))!;
    await rotate();
    const fresh = (await repo.importTokens.get(store.db, stale.id))!;
    expect(Buffer.from(fresh.wrappedPrivateKey)).not.toEqual(Buffer.from(stale.wrappedPrivateKey));
    const expected = await ring.unwrap(fresh.wrappedPrivateKey, tokenAad(stale.id, keyId));
    const key = await unwrapTokenKey(service.context, stale);
    expect(Buffer.from(exposeSecret(key))).toEqual(Buffer.from(exposeSecret(expected)));
    key.wipe();
    expected.wipe();
  });

  it('keeps the failure when the row still holds the bytes that failed', async () => {
    const { key, stale } = await keyWithStaleVersion();
    // The ring moves to a new root with the row left as it was: reading it again brings nothing new.
    await ring.addNext(rootOfTrustFromKey(SecretBytes.random(32)));
    await ring.promote();
    const error = await expectKmsError(unwrapVersion(service.context, key, stale), 'INTERNAL');
    expect(error.message).toMatch(/failed to unwrap/);
  });

  it('passes a token out of reach on at once', async () => {
    const { key, stale } = await keyWithStaleVersion();
    const reads: unknown[] = [];
    const unreachable = {
      ...service.context,
      rootOfTrust: { unwrap: () => Promise.reject(new UnavailableError('the token is unreachable; retry')) },
      store: {
        ...service.context.store,
        get db() {
          reads.push(1);
          return store.db;
        },
      },
    } as unknown as ServiceContext;
    await expectKmsError(unwrapVersion(unreachable, key, stale), 'UNAVAILABLE');
    expect(reads).toEqual([]);
  });
});

describeSoftHsm('a custom key store PIN read before a root rotation')(
  'connecting with a PIN read before a rotation',
  () => {
    it("reads the store's row again and connects with the re-wrapped PIN; the same bytes keep the failure", async () => {
      const token = makeToken('5521-rotated-pin');
      const ring = new RootRing(rootOfTrustFromKey(SecretBytes.random(32)));
      const registry = new KeyStoreRegistry(token.module, 0);
      try {
        const id = 'cks-0123456789abcdef0';
        const aad = keyStorePinAad(id);
        const pin = SecretBytes.from(new TextEncoder().encode(token.pin));
        const stale: CustomKeyStoreRecord = {
          id,
          name: 'rotated',
          tokenLabel: token.label,
          wrappedPin: await ring.wrap(pin, aad),
          trustAnchor: '',
          connectionState: 'CONNECTED',
          connectionErrorCode: null,
          createdAt: new Date(),
        };
        await ring.addNext(rootOfTrustFromKey(SecretBytes.random(32)));
        const fresh = { ...stale, wrappedPin: await ring.wrap(pin, aad) };
        pin.wipe();
        await ring.promote();
        // Nothing new in the row: the unwrap's failure stands.
        await expectKmsError(
          registry.connect(stale, ring, async () => stale),
          'INTERNAL',
        );
        expect(await registry.connect(stale, ring, async () => fresh)).toEqual({ connected: true });
        expect(registry.isOpen(id)).toBe(true);
      } finally {
        await registry.close();
        await ring.close();
      }
    });
  },
);
