// The PKCS#11 root of trust on SoftHSM2: the shared RootOfTrust suite, then what only an HSM root has — the key in the
// token and never extractable, found again by label, derivation in the token, and its error paths (never the PIN).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposeSecret, SecretBytes } from '../../src/core/secret-bytes.js';
import type { DerivedKeyPurpose, RootOfTrust } from '../../src/keystore/root-of-trust.js';
import { openPkcs11RootOfTrust, type Pkcs11RootOfTrustOptions } from '../../src/keystore/pkcs11/index.js';
import { acquireModule, loadPkcs11js, releaseModule } from '../../src/keystore/pkcs11/module.js';
import { deleteToken, describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';
import { describeRootOfTrust } from './root-of-trust-suite.js';

const aad = new TextEncoder().encode('key 6f1c2a3e version 1');
const PIN = '58213-distinctive-pin';

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message: string; stack?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

/** Everything an error could show: message, stack, causes, JSON. */
function everything(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, i = 0; e !== undefined && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    parts.push((e as Error).message, (e as Error).stack ?? '', JSON.stringify(e) ?? '');
  }
  return parts.join('\n');
}

describeSoftHsm('the PKCS#11 root of trust')('PKCS#11 root of trust (SoftHSM2)', () => {
  let token: TestToken;
  let other: TestToken;
  let doomed: TestToken;
  const opts = (t: TestToken, extra: Partial<Pkcs11RootOfTrustOptions> = {}): Pkcs11RootOfTrustOptions => ({
    module: t.module,
    tokenLabel: t.label,
    pin: t.pin,
    create: true,
    ...extra,
  });

  beforeAll(() => {
    // Every token first: SoftHSM2 lists its tokens when the module is initialised.
    token = makeToken(PIN);
    other = makeToken(PIN);
    doomed = makeToken(PIN);
  });

  describeRootOfTrust('PKCS#11 (SoftHSM2)', async () => ({
    rot: await openPkcs11RootOfTrust(opts(token)),
    cleanup: () => Promise.resolve(),
  }));

  let rot: RootOfTrust;
  beforeAll(async () => {
    rot = await openPkcs11RootOfTrust(opts(token));
  });
  afterAll(() => rot.close());

  it('wraps in format 2: 0x02 | iv (12) | ciphertext | tag (16), with a fresh iv each time', async () => {
    const material = SecretBytes.random(32);
    const ivs = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const blob = await rot.wrap(material, aad);
      expect(blob[0]).toBe(0x02);
      expect(blob.length).toBe(1 + 12 + 32 + 16);
      ivs.add(Buffer.from(blob.subarray(1, 13)).toString('hex'));
    }
    expect(ivs.size).toBe(50);
  });

  it('keeps the root key in the token: sensitive, never extractable, its value unreadable', async () => {
    const module = acquireModule(token.module);
    const { lib, p11 } = module;
    const slot = p11.C_GetSlotList(true).find((s: Buffer) => p11.C_GetTokenInfo(s).label.trimEnd() === token.label)!;
    const session = p11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION);
    try {
      p11.C_FindObjectsInit(session, [{ type: lib.CKA_LABEL, value: 'custos-root-key' }]);
      const [key] = p11.C_FindObjects(session, 4);
      p11.C_FindObjectsFinal(session);
      expect(key).toBeDefined();
      const attrs = p11.C_GetAttributeValue(session, key!, [
        { type: lib.CKA_TOKEN },
        { type: lib.CKA_SENSITIVE },
        { type: lib.CKA_EXTRACTABLE },
        { type: lib.CKA_NEVER_EXTRACTABLE },
        { type: lib.CKA_VALUE_LEN },
      ]);
      expect(attrs.map((a: { value?: Buffer }) => a.value?.[0])).toEqual([1, 1, 0, 1, 32]);
      expect(() => p11.C_GetAttributeValue(session, key!, [{ type: lib.CKA_VALUE }])).toThrow(
        /CKR_ATTRIBUTE_SENSITIVE/,
      );
    } finally {
      p11.C_CloseSession(session);
      releaseModule(module);
    }
  });

  it('finds the same key again on a later start: same check value, unwraps what the first start wrapped', async () => {
    const material = SecretBytes.random(32);
    const blob = await rot.wrap(material, aad);
    const again = await openPkcs11RootOfTrust(opts(token, { create: false }));
    try {
      expect(again.keyCheckValue).toBe(rot.keyCheckValue);
      expect((await again.unwrap(blob, aad)).equals(material)).toBe(true);
    } finally {
      await again.close();
    }
    // Closing one root leaves the other's sessions (and the shared login) working.
    expect((await rot.unwrap(blob, aad)).equals(material)).toBe(true);
  });

  it('derives a 256-bit key per purpose in the token: stable across restarts, different per purpose', async () => {
    const purposes: DerivedKeyPurpose[] = [
      'row-integrity',
      'token-hash',
      'audit-chain',
      'audit-signing',
      'audit-receipt',
    ];
    const first = await Promise.all(purposes.map(async (p) => Buffer.from(exposeSecret(await rot.deriveKey(p)))));
    expect(first.every((k) => k.length === 32)).toBe(true);
    expect(new Set(first.map((k) => k.toString('hex'))).size).toBe(purposes.length);
    const restarted = await openPkcs11RootOfTrust(opts(token, { create: false }));
    try {
      for (const [i, p] of purposes.entries())
        expect(Buffer.from(exposeSecret(await restarted.deriveKey(p))).equals(first[i]!)).toBe(true);
    } finally {
      await restarted.close();
    }
    // Another token's root key derives other keys.
    const foreign = await openPkcs11RootOfTrust(opts(other));
    try {
      const k = Buffer.from(exposeSecret(await foreign.deriveKey('row-integrity')));
      expect(k.equals(first[0]!)).toBe(false);
    } finally {
      await foreign.close();
    }
  });

  it("refuses a blob wrapped under another token's root key, and a file root's blob, with INTERNAL", async () => {
    const foreign = await openPkcs11RootOfTrust(opts(other));
    try {
      expect(foreign.keyCheckValue).not.toBe(rot.keyCheckValue);
      const blob = await foreign.wrap(SecretBytes.random(32), aad);
      expect((await errorOf(rot.unwrap(blob, aad))).code).toBe('INTERNAL');
      const fileFormat = new Uint8Array(blob);
      fileFormat[0] = 0x01;
      expect((await errorOf(rot.unwrap(fileFormat, aad))).code).toBe('INTERNAL');
    } finally {
      await foreign.close();
    }
  });

  it('runs concurrent calls on its pool of sessions', async () => {
    const materials = Array.from({ length: 40 }, () => SecretBytes.random(32));
    const blobs = await Promise.all(materials.map((m) => rot.wrap(m, aad)));
    const back = await Promise.all(blobs.map((b) => rot.unwrap(b, aad)));
    expect(back.every((m, i) => m.equals(materials[i]!))).toBe(true);
  });

  it('refuses without create when the token has no key with the label (VALIDATION_ERROR)', async () => {
    const err = await errorOf(openPkcs11RootOfTrust(opts(token, { create: false, keyLabel: 'no-such-key' })));
    expect(err.code).toBe('VALIDATION_ERROR');
  });

  it('refuses a key under the label that was imported (extractable, known outside the token)', async () => {
    const module = acquireModule(token.module);
    const { lib, p11 } = module;
    const slot = p11.C_GetSlotList(true).find((s: Buffer) => p11.C_GetTokenInfo(s).label.trimEnd() === token.label)!;
    const session = p11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    try {
      p11.C_CreateObject(session, [
        { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
        { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
        { type: lib.CKA_TOKEN, value: true },
        { type: lib.CKA_PRIVATE, value: true },
        { type: lib.CKA_SENSITIVE, value: true },
        { type: lib.CKA_EXTRACTABLE, value: false },
        { type: lib.CKA_ENCRYPT, value: true },
        { type: lib.CKA_DECRYPT, value: true },
        { type: lib.CKA_SIGN, value: true },
        { type: lib.CKA_VALUE, value: Buffer.alloc(32, 7) },
        { type: lib.CKA_LABEL, value: 'imported-root' },
      ]);
    } finally {
      p11.C_CloseSession(session);
      releaseModule(module);
    }
    const err = await errorOf(openPkcs11RootOfTrust(opts(token, { keyLabel: 'imported-root' })));
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.message).toMatch(/never-extractable/);
  });

  it('refuses a wrong PIN with UNAUTHENTICATED, and no error shows the PIN', async () => {
    const wrong = `${PIN}-wrong`;
    // A token nobody in this process is logged in to, and one that is (the PIN is compared by digest then).
    const fresh = await errorOf(openPkcs11RootOfTrust(opts(other, { pin: wrong })));
    const shared = await errorOf(openPkcs11RootOfTrust(opts(token, { pin: wrong })));
    for (const err of [fresh, shared]) {
      expect(err.code).toBe('UNAUTHENTICATED');
      expect(everything(err)).not.toContain(PIN);
    }
  });

  it('fails with NOT_FOUND for an unknown token label, VALIDATION_ERROR for a missing or relative module', async () => {
    const errors = [
      await errorOf(openPkcs11RootOfTrust(opts(token, { tokenLabel: 'no-such-token' }))),
      await errorOf(openPkcs11RootOfTrust(opts(token, { module: '/nonexistent/libpkcs11.so' }))),
      await errorOf(openPkcs11RootOfTrust(opts(token, { module: 'libsofthsm2.so' }))),
    ];
    expect(errors.map((e) => e.code)).toEqual(['NOT_FOUND', 'VALIDATION_ERROR', 'VALIDATION_ERROR']);
    for (const err of errors) expect(everything(err)).not.toContain(PIN);
  });

  it('says what to install when pkcs11js is missing (UNSUPPORTED)', () => {
    try {
      loadPkcs11js('pkcs11js-not-installed');
      expect.fail('loaded a package that does not exist');
    } catch (err) {
      expect((err as { code?: string }).code).toBe('UNSUPPORTED');
      expect((err as Error).message).toMatch(/npm install pkcs11js/);
      expect((err as Error).message).toMatch(/g\+\+, make and python3/);
    }
  });

  it('fails with UNAVAILABLE (retryable) when the token goes away mid-use, without the PIN', async () => {
    const gone = await openPkcs11RootOfTrust(opts(doomed));
    try {
      const blob = await gone.wrap(SecretBytes.random(32), aad);
      deleteToken(doomed);
      const errors = [
        await errorOf(gone.unwrap(blob, aad)),
        await errorOf(gone.wrap(SecretBytes.random(32), aad)),
        await errorOf(gone.deriveKey('row-integrity')),
      ];
      expect(errors.map((e) => e.code)).toEqual(['UNAVAILABLE', 'UNAVAILABLE', 'UNAVAILABLE']);
      for (const err of errors) expect(everything(err)).not.toContain(PIN);
      // Each later call tries to reconnect (SoftHSM2 lists its tokens only when initialised, so it stays gone here).
      expect((await errorOf(gone.unwrap(blob, aad))).code).toBe('UNAVAILABLE');
    } finally {
      await gone.close();
    }
    // The other roots of the process are unaffected.
    const material = SecretBytes.random(16);
    expect((await rot.unwrap(await rot.wrap(material, aad), aad)).equals(material)).toBe(true);
  });
});

describe('pkcs11js, the optional dependency', () => {
  it('is never loaded by a server on the file root (a machine without a compiler runs it)', () => {
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const script = `
      import { createRequire } from 'node:module';
      import { mkdtempSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import { join } from 'node:path';
      const { LocalKms } = await import(${JSON.stringify(dist)});
      const kms = await LocalKms.open({ dataDir: mkdtempSync(join(tmpdir(), 'custos-nop11-')), maintenanceIntervalMs: 0 });
      await kms.createKey({});
      await kms.close();
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes('pkcs11js'));
      process.stdout.write(JSON.stringify(loaded));`;
    const file = join(mkdtempSync(join(tmpdir(), 'custos-nop11-script-')), 'probe.mjs');
    writeFileSync(file, script);
    try {
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual([]);
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });
});
