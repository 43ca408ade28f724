// Development mode in process: the clock AdvanceDevClock moves is every rule's clock and survives a restart; the
// store keeps its mode (DEV_MODE_MISMATCH both ways); rotations derive their material; a seeded key id is skipped.
import { describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { devKeyId } from '../../../src/core/dev/derived-material.js';
import { openTestKms } from '../helpers.js';

const DAY = 86_400;

describe('development mode (LocalKms)', () => {
  it('moves the clock forward for every rule, keeps the offset across a restart, and keeps the store in its mode', async () => {
    // `now: undefined`: the development clock, not the test helper's.
    const options = { dev: { seed: 'unit' }, now: undefined, config: { minPendingWindowDays: 7 } };
    const t = await openTestKms(options as unknown as Parameters<typeof openTestKms>[0]);
    try {
      expect(t.kms.devMode).toBe(true);
      const first = (await t.kms.createKey({})).keyMetadata;
      expect(first.keyId).toBe(devKeyId(new TextEncoder().encode('unit'), 0));
      const { deletionDate } = await t.kms.scheduleKeyDeletion({ keyId: first.keyId, pendingWindowInDays: 7 });
      const moved = await t.kms.advanceDevClock({ advanceSeconds: 3 * DAY });
      expect(moved).toMatchObject({ offsetSeconds: 3 * DAY, maintenance: { destroyed: 0 } });
      // The restart keeps the offset: the clock never goes back.
      let kms = await t.reopen();
      const later = (await kms.createKey({})).keyMetadata;
      expect(later.keyId).toBe(devKeyId(new TextEncoder().encode('unit'), 1));
      expect(later.creationDate.getTime()).toBeGreaterThan(Date.now() + 3 * DAY * 1000 - 60_000);
      const done = await kms.advanceDevClock({ advanceSeconds: 4 * DAY });
      expect(done.maintenance?.destroyed).toBe(1);
      expect(done.now.getTime()).toBeGreaterThan(deletionDate!.getTime());
      expect((await kms.describeKey({ keyId: first.keyId })).keyMetadata.keyState).toBe('Destroyed');
      // Rotation material derives too: the rotated key still round-trips.
      await kms.rotateKeyOnDemand({ keyId: later.keyId });
      const blob = (await kms.encrypt({ keyId: later.keyId, plaintext: new Uint8Array([1]) })).ciphertextBlob;
      expect((await kms.decrypt({ ciphertextBlob: blob })).plaintext).toEqual(new Uint8Array([1]));
      // Without `dev`, the development store is refused.
      await expectKmsError(t.reopen({ dev: undefined }), 'DEV_MODE_MISMATCH');
      kms = await t.reopen();
      expect(kms.devMode).toBe(true);
    } finally {
      await t.cleanup();
    }
  });

  it('refuses development mode on a store made without it, and AdvanceDevClock outside it', async () => {
    const t = await openTestKms();
    try {
      expect(t.kms.devMode).toBe(false);
      await expectKmsError(t.kms.advanceDevClock({ advanceSeconds: 1 }), 'DEV_MODE_REQUIRED');
      await expectKmsError(
        t.kms.advanceDevClock({ advanceSeconds: 1 }, { principal: 'x', roles: ['key-admin'] }),
        'ACCESS_DENIED',
      );
      await expectKmsError(t.reopen({ dev: {} }), 'DEV_MODE_MISMATCH');
      expect((await t.reopen()).devMode).toBe(false); // untouched: still a production store
    } finally {
      await t.cleanup();
    }
  });
});
