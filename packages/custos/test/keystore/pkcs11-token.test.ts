// Pkcs11Token on SoftHSM2: open (slot by label, login) and close, calls on a pool of sessions through the async
// pkcs11js calls, and the error paths (wrong PIN, unknown token, bad module, token gone mid-use), never showing the PIN.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  openPkcs11Token,
  type Pkcs11Token,
  type Pkcs11TokenOptions,
  type TokenCall,
} from '../../src/keystore/pkcs11/token.js';
import { deleteToken, describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';

const PIN = '40917-token-pin';
/** PKCS#11 2.40 §5.6: a read-write session of a logged-in user (pkcs11js exports no CKS_ constants). */
const CKS_RW_USER_FUNCTIONS = 3;

/** A SHA-256 digest in the token, asynchronously. */
function digest({ lib, p11, session }: TokenCall): Promise<Buffer> {
  p11.C_DigestInit(session, { mechanism: lib.CKM_SHA256 });
  return p11.C_DigestAsync(session, Buffer.from('custos'), Buffer.alloc(32));
}

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

function everything(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, i = 0; e !== undefined && i < 5; e = (e as { cause?: unknown }).cause, i++)
    parts.push((e as Error).message, (e as Error).stack ?? '', JSON.stringify(e) ?? '');
  return parts.join('\n');
}

/** The token's label and serial, read through a session of the token (proves the login reached the right slot). */
async function tokenInfo(token: Pkcs11Token): Promise<{ user: boolean }> {
  return token.run('C_GetSessionInfo', ({ p11, session }) => {
    const info = p11.C_GetSessionInfo(session);
    return Promise.resolve({ user: info.state === CKS_RW_USER_FUNCTIONS });
  });
}

describeSoftHsm('Pkcs11Token')('Pkcs11Token (SoftHSM2)', () => {
  let a: TestToken;
  let b: TestToken;
  let doomed: TestToken;
  const opts = (t: TestToken, extra: Partial<Pkcs11TokenOptions> = {}): Pkcs11TokenOptions => ({
    module: t.module,
    tokenLabel: t.label,
    pin: t.pin,
    ...extra,
  });
  beforeAll(() => {
    a = makeToken(PIN);
    b = makeToken(PIN);
    doomed = makeToken(PIN);
  });
  afterAll(() => undefined);

  it('opens a token by label, logged in as its user, and closes it (twice is fine)', async () => {
    const token = await openPkcs11Token(opts(a, { sessions: 2 }));
    expect(token.tokenLabel).toBe(a.label);
    expect(await tokenInfo(token)).toEqual({ user: true });
    await token.close();
    await token.close();
    expect((await errorOf(tokenInfo(token))).code).toBe('UNAVAILABLE');
    // Opened again after closing: the module and the login are set up anew.
    const again = await openPkcs11Token(opts(a));
    expect(await tokenInfo(again)).toEqual({ user: true });
    await again.close();
  });

  it('runs calls side by side on its sessions, and queues calls beyond the pool size', async () => {
    const token = await openPkcs11Token(opts(a, { sessions: 2 }));
    try {
      let inFlight = 0;
      let most = 0;
      const sessions = new Set<string>();
      await Promise.all(
        Array.from({ length: 6 }, () =>
          token.run('C_Digest', async (call) => {
            inFlight++;
            most = Math.max(most, inFlight);
            sessions.add(call.session.toString('hex'));
            await digest(call);
            await new Promise((r) => setTimeout(r, 10));
            inFlight--;
          }),
        ),
      );
      expect(most).toBe(2);
      expect(sessions.size).toBe(2);
    } finally {
      await token.close();
    }
  });

  it('replaces a session a failed call left with an operation active, keeping the login (pool of one)', async () => {
    const token = await openPkcs11Token(opts(a, { sessions: 1 }));
    try {
      const startEncrypt = ({ lib, p11, session }: TokenCall): Promise<never> => {
        const key = p11.C_GenerateKey(session, { mechanism: lib.CKM_AES_KEY_GEN }, [
          { type: lib.CKA_TOKEN, value: false },
          { type: lib.CKA_VALUE_LEN, value: 32 },
          { type: lib.CKA_ENCRYPT, value: true },
        ]);
        p11.C_EncryptInit(session, { mechanism: lib.CKM_AES_ECB }, key);
        // A raw PKCS#11 failure with the encryption still active on the session (as a bad argument leaves it).
        return Promise.reject(Object.assign(new Error('CKR_ARGUMENTS_BAD'), { code: 7 }));
      };
      expect((await errorOf(token.run('C_Encrypt', startEncrypt))).message).toMatch(/CKR_ARGUMENTS_BAD/);
      // Same pool slot, a fresh session: a new operation starts (CKR_OPERATION_ACTIVE otherwise), still logged in.
      expect((await errorOf(token.run('C_Encrypt', startEncrypt))).message).toMatch(/CKR_ARGUMENTS_BAD/);
      expect(await tokenInfo(token)).toEqual({ user: true });
    } finally {
      await token.close();
    }
  });

  it('shares one login between two tokens opened on the same token, and closing one leaves the other working', async () => {
    const first = await openPkcs11Token(opts(b));
    const second = await openPkcs11Token(opts(b));
    await first.close();
    expect(await tokenInfo(second)).toEqual({ user: true });
    await second.close();
  });

  it('refuses a wrong PIN (UNAUTHENTICATED), an unknown label (NOT_FOUND), a bad module or options (VALIDATION_ERROR)', async () => {
    const held = await openPkcs11Token(opts(a)); // logged in already: the PIN is compared by digest
    try {
      const errors = [
        await errorOf(openPkcs11Token(opts(b, { pin: `${PIN}-wrong` }))),
        await errorOf(openPkcs11Token(opts(a, { pin: `${PIN}-wrong` }))),
        await errorOf(openPkcs11Token(opts(a, { tokenLabel: 'no-such-token' }))),
        await errorOf(openPkcs11Token(opts(a, { module: '/nonexistent/libpkcs11.so' }))),
        await errorOf(openPkcs11Token(opts(a, { module: 'libsofthsm2.so' }))),
        await errorOf(openPkcs11Token(opts(a, { pin: '' }))),
        await errorOf(openPkcs11Token(opts(a, { tokenLabel: '' }))),
        await errorOf(openPkcs11Token(opts(a, { sessions: 0 }))),
      ];
      expect(errors.map((e) => e.code)).toEqual([
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'NOT_FOUND',
        'VALIDATION_ERROR',
        'VALIDATION_ERROR',
        'VALIDATION_ERROR',
        'VALIDATION_ERROR',
        'VALIDATION_ERROR',
      ]);
      for (const err of errors) expect(everything(err)).not.toContain(PIN);
      expect(await tokenInfo(held)).toEqual({ user: true });
    } finally {
      await held.close();
    }
  });

  it('fails with UNAVAILABLE (retryable) when the token goes away mid-use, and keeps failing cleanly', async () => {
    const token = await openPkcs11Token(opts(doomed));
    try {
      expect(await tokenInfo(token)).toEqual({ user: true });
      deleteToken(doomed);
      const first = await errorOf(
        token.run('C_GenerateKey', ({ lib, p11, session }) =>
          p11.C_GenerateKeyAsync(session, { mechanism: lib.CKM_AES_KEY_GEN }, [
            { type: lib.CKA_TOKEN, value: true },
            { type: lib.CKA_VALUE_LEN, value: 32 },
          ]),
        ),
      );
      expect(first.code).toBe('UNAVAILABLE');
      expect(everything(first)).not.toContain(PIN);
      // The next call tries to reconnect and says the same.
      const next = await errorOf(tokenInfo(token));
      expect(next.code).toBe('UNAVAILABLE');
      expect(next.message).toMatch(/retry/);
      expect(everything(next)).not.toContain(PIN);
    } finally {
      await token.close();
    }
  });
});
