// The grants contract: one suite for LocalKms and RemoteKms (grants-local.test.ts, grants-remote.test.ts).
// CreateGrant, ListGrants, ListRetirableGrants, RetireGrant and RevokeGrant, Name idempotency, grant tokens, who may
// retire and revoke, and every refusal by its code. A grantee here holds no role at all: no key rights of
// its own, so whatever it does with a key, a grant gave it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  InvalidStateError,
  NotFoundError,
  UnsupportedError,
  ValidationError,
  type Kms,
  type Role,
} from '@custos/contract';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

/** The implementation under test, and Kms instances acting as other principals. */
export interface GrantsUnderTest {
  /** Acting as an administrator. */
  readonly kms: Kms;
  /** A Kms acting as `principal` with `roles`. */
  as(principal: string, roles: readonly Role[]): Promise<Kms>;
  cleanup(): Promise<void>;
}

const ACCOUNT = '000000000000';
const arn = (principal: string) => `arn:aws:iam::${ACCOUNT}:user/${principal}`;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** A grant token with one character of its MAC changed. */
const tampered = (token: string) => token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.slice(-1);

/** Registers the grants suite for one implementation; `make` is called once, before it. */
export function describeGrantsContract(name: string, make: () => Promise<GrantsUnderTest>): void {
  describe(`grants: ${name}`, () => {
    let under: GrantsUnderTest;
    let kms: Kms;
    let grantee: Kms;
    let retirer: Kms;
    let stranger: Kms;
    let keyUser: Kms;
    let n = 0;
    const aes = async () => (await kms.createKey({})).keyMetadata.keyId;
    const who = (role: string) => `${role}-${name.toLowerCase()}`;
    beforeAll(async () => {
      under = await make();
      kms = under.kms;
      grantee = await under.as(who('grantee'), []);
      retirer = await under.as(who('retirer'), []);
      stranger = await under.as(who('stranger'), []);
      keyUser = await under.as(who('app'), ['key-user']);
    });
    afterAll(async () => under.cleanup());

    it('a grant lets a principal without key rights use the key for its operations only, at once', async () => {
      const keyId = await aes();
      await expectKmsError(grantee.encrypt({ keyId, plaintext: utf8('x') }), 'ACCESS_DENIED', AccessDeniedError);
      const { grantId, grantToken } = await kms.createGrant({
        keyId,
        granteePrincipal: arn(who('grantee')),
        operations: ['Encrypt', 'DescribeKey'],
      });
      expect(grantId).toMatch(/^[0-9a-f]{64}$/);
      expect(grantToken).toMatch(/^cgt1\./);
      const { ciphertextBlob } = await grantee.encrypt({ keyId, plaintext: utf8('x'), grantTokens: [grantToken] });
      expect((await grantee.describeKey({ keyId })).keyMetadata.keyId).toBe(keyId);
      // Decrypt is not in the grant.
      await expectKmsError(grantee.decrypt({ ciphertextBlob }), 'ACCESS_DENIED', AccessDeniedError);
      // Another principal gets nothing from it.
      await expectKmsError(stranger.encrypt({ keyId, plaintext: utf8('x') }), 'ACCESS_DENIED', AccessDeniedError);
      await kms.revokeGrant({ keyId, grantId });
      await expectKmsError(grantee.encrypt({ keyId, plaintext: utf8('x') }), 'ACCESS_DENIED', AccessDeniedError);
    });

    it('encryption context constraints: Equals wants exactly its pairs, Subset at least its pairs (keys without case)', async () => {
      const keyId = await aes();
      const equals = { encryptionContextEquals: { dept: 'billing' } };
      await kms.createGrant({
        keyId,
        granteePrincipal: who('grantee'),
        operations: ['Encrypt', 'DescribeKey'],
        constraints: equals,
      });
      await kms.createGrant({
        keyId,
        granteePrincipal: who('retirer'),
        operations: ['Encrypt'],
        constraints: { encryptionContextSubset: { dept: 'billing' } },
      });
      const encrypt = (as: Kms, encryptionContext?: Record<string, string>) =>
        as.encrypt({ keyId, plaintext: utf8('x'), ...(encryptionContext ? { encryptionContext } : {}) });
      await encrypt(grantee, { dept: 'billing' });
      await encrypt(grantee, { DEPT: 'billing' });
      // DescribeKey takes no encryption context: the constraint does not apply to it (AWS).
      await grantee.describeKey({ keyId });
      for (const context of [undefined, { dept: 'Billing' }, { dept: 'billing', more: '1' }, { team: 'billing' }])
        await expectKmsError(encrypt(grantee, context), 'ACCESS_DENIED', AccessDeniedError);
      await encrypt(retirer, { dept: 'billing' });
      await encrypt(retirer, { dept: 'billing', more: '1' });
      for (const context of [undefined, { dept: 'sales' }, { more: '1' }])
        await expectKmsError(encrypt(retirer, context), 'ACCESS_DENIED', AccessDeniedError);
    });

    it('ListGrants shows the grant as AWS does, filters by grant id and grantee, and pages', async () => {
      const keyId = await aes();
      const first = await kms.createGrant({
        keyId,
        granteePrincipal: who('grantee'),
        retiringPrincipal: arn(who('retirer')),
        operations: ['Decrypt', 'Encrypt', 'GenerateDataKey'],
        constraints: { encryptionContextSubset: { a: '1' } },
        name: 'first',
      });
      await nextMillisecond(); // grants list by creation time, then id: two made in one millisecond list by id
      const second = await kms.createGrant({ keyId, granteePrincipal: who('stranger'), operations: ['Decrypt'] });
      const { grants, truncated } = await kms.listGrants({ keyId });
      expect(truncated).toBe(false);
      expect(grants).toHaveLength(2);
      expect(grants[0]).toMatchObject({
        keyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`,
        grantId: first.grantId,
        name: 'first',
        granteePrincipal: arn(who('grantee')),
        retiringPrincipal: arn(who('retirer')),
        issuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
        operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'],
        constraints: { encryptionContextSubset: { a: '1' } },
      });
      expect(grants[0]!.creationDate).toBeInstanceOf(Date);
      expect(grants[1]).not.toHaveProperty('retiringPrincipal');
      const byId = await kms.listGrants({ keyId, grantId: second.grantId });
      expect(byId.grants.map((g) => g.grantId)).toEqual([second.grantId]);
      const byGrantee = await kms.listGrants({ keyId, granteePrincipal: arn(who('grantee')) });
      expect(byGrantee.grants.map((g) => g.grantId)).toEqual([first.grantId]);
      const page1 = await kms.listGrants({ keyId, limit: 1 });
      expect(page1).toMatchObject({ truncated: true });
      const page2 = await kms.listGrants({ keyId, limit: 1, marker: page1.nextMarker! });
      expect([...page1.grants, ...page2.grants].map((g) => g.grantId)).toEqual([first.grantId, second.grantId]);
      expect(page2.truncated).toBe(false);
      await expectKmsError(kms.listGrants({ keyId, marker: 'nope' }), 'INVALID_MARKER', ValidationError);
      await expectKmsError(kms.listGrants({ keyId, grantId: 'not-a-grant' }), 'INVALID_GRANT_ID', ValidationError);
      // Listing needs read rights on the key: a grantee without them is refused.
      await expectKmsError(grantee.listGrants({ keyId }), 'ACCESS_DENIED', AccessDeniedError);
    });

    it('ListRetirableGrants lists, across keys, the grants a principal may retire', async () => {
      const retiring = `${who('lr')}-${++n}`;
      const [k1, k2] = [await aes(), await aes()];
      const g1 = await kms.createGrant({
        keyId: k1,
        granteePrincipal: 'x',
        retiringPrincipal: retiring,
        operations: ['Encrypt'],
      });
      await nextMillisecond();
      const g2 = await kms.createGrant({
        keyId: k2,
        granteePrincipal: 'x',
        retiringPrincipal: retiring,
        operations: ['Encrypt'],
      });
      await kms.createGrant({ keyId: k2, granteePrincipal: 'x', operations: ['Encrypt'] });
      const listed = await kms.listRetirableGrants({ retiringPrincipal: arn(retiring) });
      expect(listed.grants.map((g) => g.grantId)).toEqual([g1.grantId, g2.grantId]);
      const paged = await kms.listRetirableGrants({ retiringPrincipal: retiring, limit: 1 });
      expect(paged).toMatchObject({ truncated: true, grants: [{ grantId: g1.grantId }] });
    });

    it('Name: the same name and parameters return the same grant with a new token; other parameters a new grant', async () => {
      const keyId = await aes();
      const request = { keyId, granteePrincipal: who('grantee'), operations: ['Encrypt' as const], name: 'deploy' };
      const a = await kms.createGrant(request);
      const b = await kms.createGrant({ ...request, operations: ['Encrypt'] });
      expect(b.grantId).toBe(a.grantId);
      expect(b.grantToken).not.toBe(a.grantToken);
      const c = await kms.createGrant({ ...request, operations: ['Encrypt', 'Decrypt'] });
      expect(c.grantId).not.toBe(a.grantId);
      expect((await kms.listGrants({ keyId })).grants).toHaveLength(2);
      // Both tokens of the first grant name it: retiring by one leaves the other naming a grant that is gone.
      await kms.retireGrant({ grantToken: b.grantToken });
      await expectKmsError(kms.retireGrant({ grantToken: a.grantToken }), 'NOT_FOUND', NotFoundError);
    });

    it('RetireGrant: the retiring principal and a grantee whose grant allows it may; the others may not', async () => {
      const keyId = await aes();
      const base = { keyId, granteePrincipal: who('grantee'), retiringPrincipal: who('retirer') };
      const g1 = await kms.createGrant({ ...base, operations: ['Encrypt'] });
      for (const caller of [grantee, stranger, keyUser])
        await expectKmsError(caller.retireGrant({ grantToken: g1.grantToken }), 'ACCESS_DENIED', AccessDeniedError);
      expect((await kms.listGrants({ keyId })).grants).toHaveLength(1);
      await retirer.retireGrant({ grantToken: g1.grantToken });
      const g2 = await kms.createGrant({ ...base, operations: ['Encrypt', 'RetireGrant'] });
      await expectKmsError(stranger.retireGrant({ keyId, grantId: g2.grantId }), 'ACCESS_DENIED', AccessDeniedError);
      await grantee.retireGrant({ keyId, grantId: g2.grantId });
      // The key's managers may retire any grant of it.
      const g3 = await kms.createGrant({ ...base, operations: ['Encrypt'] });
      await kms.retireGrant({ keyId, grantId: g3.grantId });
      expect((await kms.listGrants({ keyId })).grants).toEqual([]);
      await expectKmsError(kms.retireGrant({ keyId, grantId: g3.grantId }), 'NOT_FOUND', NotFoundError);
    });

    it('RetireGrant refuses a token Custos did not issue, a missing name, a mismatch and a grant of another key', async () => {
      const [keyId, other] = [await aes(), await aes()];
      const g = await kms.createGrant({ keyId, granteePrincipal: 'x', operations: ['Encrypt'] });
      await expectKmsError(
        kms.retireGrant({ grantToken: tampered(g.grantToken) }),
        'INVALID_GRANT_TOKEN',
        ValidationError,
      );
      await expectKmsError(kms.retireGrant({ grantToken: 'garbage' }), 'INVALID_GRANT_TOKEN', ValidationError);
      await expectKmsError(kms.retireGrant({ grantId: g.grantId }), 'VALIDATION_ERROR', ValidationError);
      await expectKmsError(kms.retireGrant({}), 'VALIDATION_ERROR', ValidationError);
      await expectKmsError(kms.retireGrant({ keyId, grantId: 'G' }), 'INVALID_GRANT_ID', ValidationError);
      await expectKmsError(kms.retireGrant({ keyId: other, grantId: g.grantId }), 'NOT_FOUND', NotFoundError);
      const h = await kms.createGrant({ keyId, granteePrincipal: 'x', operations: ['Encrypt'] });
      await expectKmsError(
        kms.retireGrant({ grantToken: g.grantToken, grantId: h.grantId }),
        'VALIDATION_ERROR',
        ValidationError,
      );
      await expectKmsError(
        kms.retireGrant({ grantToken: g.grantToken, dryRun: true }),
        'UNSUPPORTED',
        UnsupportedError,
      );
      expect((await kms.listGrants({ keyId })).grants).toHaveLength(2);
    });

    it('RevokeGrant: the key managers may; a grantee, the retiring principal and a key user may not', async () => {
      const keyId = await aes();
      const g = await kms.createGrant({
        keyId,
        granteePrincipal: who('grantee'),
        retiringPrincipal: who('retirer'),
        operations: ['Encrypt', 'RetireGrant', 'CreateGrant'],
      });
      for (const caller of [grantee, retirer, keyUser])
        await expectKmsError(caller.revokeGrant({ keyId, grantId: g.grantId }), 'ACCESS_DENIED', AccessDeniedError);
      await expectKmsError(kms.revokeGrant({ keyId, grantId: 'zz' }), 'INVALID_GRANT_ID', ValidationError);
      await expectKmsError(kms.revokeGrant({ keyId, grantId: 'a'.repeat(64) }), 'NOT_FOUND', NotFoundError);
      await expectKmsError(kms.revokeGrant({ keyId: await aes(), grantId: g.grantId }), 'NOT_FOUND', NotFoundError);
      await kms.revokeGrant({ keyId, grantId: g.grantId });
      await expectKmsError(kms.revokeGrant({ keyId, grantId: g.grantId }), 'NOT_FOUND', NotFoundError);
    });

    it('grant tokens: accepted wherever AWS takes them; one Custos did not issue is INVALID_GRANT_TOKEN', async () => {
      const keyId = await aes();
      const { grantToken } = await kms.createGrant({ keyId, granteePrincipal: 'x', operations: ['Encrypt'] });
      const grantTokens = [grantToken];
      const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: utf8('x'), grantTokens });
      await kms.decrypt({ ciphertextBlob, grantTokens });
      await kms.reEncrypt({ ciphertextBlob, destinationKeyId: keyId, grantTokens });
      await kms.generateDataKey({ keyId, keySpec: 'AES_256', grantTokens });
      await kms.generateDataKeyWithoutPlaintext({ keyId, keySpec: 'AES_256', grantTokens });
      await kms.generateDataKeyPair({ keyId, keyPairSpec: 'ECC_NIST_P256', grantTokens });
      await kms.describeKey({ keyId, grantTokens });
      await kms.listGrants({ keyId, grantTokens });
      await kms.createGrant({ keyId, granteePrincipal: 'y', operations: ['Decrypt'], grantTokens });
      const bad = [tampered(grantToken)];
      await expectKmsError(kms.encrypt({ keyId, plaintext: utf8('x'), grantTokens: bad }), 'INVALID_GRANT_TOKEN');
      await expectKmsError(kms.decrypt({ ciphertextBlob, grantTokens: bad }), 'INVALID_GRANT_TOKEN');
      await expectKmsError(kms.describeKey({ keyId, grantTokens: ['cgt1.AAAA'] }), 'INVALID_GRANT_TOKEN');
      // A token of a grant since retired is well formed: accepted, and it gives nothing.
      await kms.retireGrant({ grantToken });
      await kms.encrypt({ keyId, plaintext: utf8('x'), grantTokens });
      await expectKmsError(grantee.encrypt({ keyId, plaintext: utf8('x'), grantTokens }), 'ACCESS_DENIED');
    });

    it('CreateGrant refuses operations that do not fit the key, constraints on asymmetric and HMAC keys, foreign principals', async () => {
      const keyId = await aes();
      const signer = (await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
      const rsa = (await kms.createKey({ keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' })).keyMetadata.keyId;
      const hmac = (await kms.createKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' })).keyMetadata.keyId;
      const constraints = { encryptionContextEquals: { a: '1' } };
      const refused: [Parameters<Kms['createGrant']>[0], string][] = [
        [{ keyId, granteePrincipal: 'x', operations: ['Sign'] }, 'VALIDATION_ERROR'],
        [{ keyId, granteePrincipal: 'x', operations: ['GetPublicKey'] }, 'VALIDATION_ERROR'],
        [{ keyId: signer, granteePrincipal: 'x', operations: ['Encrypt'] }, 'VALIDATION_ERROR'],
        [{ keyId: rsa, granteePrincipal: 'x', operations: ['GenerateDataKey'] }, 'VALIDATION_ERROR'],
        [{ keyId: hmac, granteePrincipal: 'x', operations: ['Sign'] }, 'VALIDATION_ERROR'],
        [{ keyId: signer, granteePrincipal: 'x', operations: ['Sign'], constraints }, 'VALIDATION_ERROR'],
        [{ keyId: rsa, granteePrincipal: 'x', operations: ['Decrypt'], constraints }, 'VALIDATION_ERROR'],
        [{ keyId: hmac, granteePrincipal: 'x', operations: ['GenerateMac'], constraints }, 'VALIDATION_ERROR'],
        [{ keyId, granteePrincipal: 'arn:aws:iam::111122223333:user/x', operations: ['Encrypt'] }, 'VALIDATION_ERROR'],
        [{ keyId, granteePrincipal: `arn:aws:iam::${ACCOUNT}:root`, operations: ['Encrypt'] }, 'VALIDATION_ERROR'],
        [
          { keyId, granteePrincipal: 'x', retiringPrincipal: 'arn:aws:s3:::b', operations: ['Encrypt'] },
          'VALIDATION_ERROR',
        ],
        [{ keyId, granteePrincipal: 'x', operations: [] }, 'VALIDATION_ERROR'],
        [{ keyId, granteePrincipal: 'x', operations: ['Encrypt'], name: 'bad name!' }, 'VALIDATION_ERROR'],
        [{ keyId, granteePrincipal: 'x', operations: ['Encrypt'], dryRun: true }, 'UNSUPPORTED'],
        [{ keyId: 'alias/none', granteePrincipal: 'x', operations: ['Encrypt'] }, 'ALIAS_NOT_FOUND'],
      ];
      for (const [request, code] of refused) await expectKmsError(kms.createGrant(request), code as never);
      for (const id of [keyId, signer, rsa, hmac]) expect((await kms.listGrants({ keyId: id })).grants).toEqual([]);
      // What fits: signing operations on a signing key, Decrypt on RSA, MAC operations on an HMAC key.
      await kms.createGrant({ keyId: signer, granteePrincipal: 'x', operations: ['Sign', 'Verify', 'GetPublicKey'] });
      await kms.createGrant({ keyId: rsa, granteePrincipal: 'x', operations: ['Decrypt', 'GetPublicKey'] });
      await kms.createGrant({ keyId: hmac, granteePrincipal: 'x', operations: ['GenerateMac', 'VerifyMac'] });
      // A key pending deletion takes no new grant; one already made can still be listed and revoked.
      const doomed = await aes();
      const g = await kms.createGrant({ keyId: doomed, granteePrincipal: 'x', operations: ['Encrypt'] });
      await kms.scheduleKeyDeletion({ keyId: doomed, pendingWindowInDays: 7 });
      await expectKmsError(
        kms.createGrant({ keyId: doomed, granteePrincipal: 'x', operations: ['Encrypt'] }),
        'INVALID_KEY_STATE',
        InvalidStateError,
      );
      await kms.revokeGrant({ keyId: doomed, grantId: g.grantId });
    });

    it('a key user may not create grants (a management right); a grantee given CreateGrant may, within its grant', async () => {
      const keyId = await aes();
      await expectKmsError(
        keyUser.createGrant({ keyId, granteePrincipal: 'x', operations: ['Encrypt'] }),
        'ACCESS_DENIED',
        AccessDeniedError,
      );
      await kms.createGrant({ keyId, granteePrincipal: who('grantee'), operations: ['CreateGrant', 'Encrypt'] });
      await grantee.createGrant({ keyId, granteePrincipal: who('stranger'), operations: ['Encrypt'] });
      await stranger.encrypt({ keyId, plaintext: utf8('x') });
      // No more than it holds (AWS): Decrypt is not in the grantee's grant.
      await expectKmsError(
        grantee.createGrant({ keyId, granteePrincipal: who('stranger'), operations: ['Decrypt'] }),
        'ACCESS_DENIED',
        AccessDeniedError,
      );
    });
  });
}

/** Resolves once the clock has moved to another millisecond (creation times are kept to the millisecond). */
async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() === now) await new Promise((resolve) => setTimeout(resolve, 1));
}
