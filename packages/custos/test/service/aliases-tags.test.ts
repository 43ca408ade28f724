// Aliases, key references (id, key ARN, alias name, alias ARN), tags, listing with paging, descriptions
// and key policies, through LocalKms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, type Tag } from '@custos/contract';
import { openTestKms, text, utf8, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const ARN_PREFIX = 'arn:aws:kms:us-east-1:000000000000';

describe('aliases', () => {
  let t: TestKms;
  let n = 0;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  const newKey = async (spec: Parameters<typeof t.kms.createKey>[0] = {}) =>
    (await t.kms.createKey(spec)).keyMetadata.keyId;
  const name = (base = 'a') => `alias/${base}-${++n}`;

  it('createAlias makes the key usable by alias name, alias ARN and key ARN in every key operation', async () => {
    const keyId = await newKey();
    const alias = name('orders');
    await t.kms.createAlias({ aliasName: alias, targetKeyId: keyId });
    const refs = [keyId, keyId.toUpperCase(), `${ARN_PREFIX}:key/${keyId}`, alias, `${ARN_PREFIX}:${alias}`];
    for (const ref of refs) {
      expect((await t.kms.describeKey({ keyId: ref })).keyMetadata.keyId).toBe(keyId);
      const enc = await t.kms.encrypt({ keyId: ref, plaintext: utf8(`via ${ref}`) });
      expect(enc.keyId).toBe(`${ARN_PREFIX}:key/${keyId}`);
      const dec = await t.kms.decrypt({ ciphertextBlob: enc.ciphertextBlob, keyId: ref });
      expect(text(dec.plaintext)).toBe(`via ${ref}`);
      const dk = await t.kms.generateDataKey({ keyId: ref, keySpec: 'AES_128' });
      expect(dk.plaintext).toHaveLength(16);
      await t.kms.tagResource({ keyId: ref, tags: [{ tagKey: 'via', tagValue: ref }] });
      expect((await t.kms.listResourceTags({ keyId: ref })).tags).toEqual([{ tagKey: 'via', tagValue: ref }]);
      expect((await t.kms.getKeyRotationStatus({ keyId: ref })).keyId).toBe(`${ARN_PREFIX}:key/${keyId}`);
    }
  });

  it('createAlias with a name already in use fails with ALREADY_EXISTS and leaves the alias where it was', async () => {
    const first = await newKey();
    const second = await newKey();
    const alias = name('dup');
    await t.kms.createAlias({ aliasName: alias, targetKeyId: first });
    await expectKmsError(t.kms.createAlias({ aliasName: alias, targetKeyId: second }), 'ALREADY_EXISTS');
    expect((await t.kms.describeKey({ keyId: alias })).keyMetadata.keyId).toBe(first);
  });

  it("alias names under 'alias/aws/' are reserved: INVALID_ALIAS_NAME", async () => {
    const keyId = await newKey();
    await expectKmsError(t.kms.createAlias({ aliasName: 'alias/aws/x', targetKeyId: keyId }), 'INVALID_ALIAS_NAME');
    await expectKmsError(t.kms.createAlias({ aliasName: 'alias/aws/s3', targetKeyId: keyId }), 'INVALID_ALIAS_NAME');
    expect((await t.kms.listAliases({ keyId })).aliases).toEqual([]);
  });

  it.each([
    'foo',
    'alias/',
    'alias/has space',
    'alias/ünïcode',
    'alias/semi;colon',
    'ALIAS/upper',
    `alias/${'x'.repeat(251)}`,
  ])(
    'createAlias with the malformed name %j fails with VALIDATION_ERROR (the request schema) and creates nothing',
    async (aliasName) => {
      const keyId = await newKey();
      await expectKmsError(t.kms.createAlias({ aliasName, targetKeyId: keyId }), 'VALIDATION_ERROR');
      expect((await t.kms.listAliases({ keyId })).aliases).toEqual([]);
    },
  );

  it('a malformed alias used as a key reference fails with INVALID_ALIAS_NAME', async () => {
    await expectKmsError(t.kms.describeKey({ keyId: 'alias/has space' }), 'INVALID_ALIAS_NAME');
    await expectKmsError(t.kms.encrypt({ keyId: 'alias/', plaintext: utf8('x') }), 'INVALID_ALIAS_NAME');
  });

  it('an unknown alias fails with ALIAS_NOT_FOUND, a NotFoundError', async () => {
    const error = await expectKmsError(t.kms.describeKey({ keyId: 'alias/never-made' }), 'ALIAS_NOT_FOUND');
    expect(error).toBeInstanceOf(NotFoundError);
    await expectKmsError(
      t.kms.encrypt({ keyId: `${ARN_PREFIX}:alias/never-made`, plaintext: utf8('x') }),
      'ALIAS_NOT_FOUND',
    );
    await expectKmsError(t.kms.deleteAlias({ aliasName: 'alias/never-made' }), 'ALIAS_NOT_FOUND');
    await expectKmsError(
      t.kms.updateAlias({ aliasName: 'alias/never-made', targetKeyId: await newKey() }),
      'ALIAS_NOT_FOUND',
    );
  });

  it('an unknown key id fails with KEY_NOT_FOUND', async () => {
    await expectKmsError(t.kms.describeKey({ keyId: '00000000-0000-4000-8000-000000000000' }), 'KEY_NOT_FOUND');
    await expectKmsError(
      t.kms.createAlias({ aliasName: name(), targetKeyId: '00000000-0000-4000-8000-000000000000' }),
      'KEY_NOT_FOUND',
    );
  });

  it('an ARN of another account or region names no key here: KEY_NOT_FOUND', async () => {
    const keyId = await newKey();
    const alias = name('arn');
    await t.kms.createAlias({ aliasName: alias, targetKeyId: keyId });
    for (const ref of [
      `arn:aws:kms:eu-west-1:000000000000:key/${keyId}`,
      `arn:aws:kms:us-east-1:111111111111:key/${keyId}`,
      `arn:aws:kms:eu-west-1:000000000000:${alias}`,
      `arn:aws:kms:us-east-1:111111111111:${alias}`,
    ]) {
      await expectKmsError(t.kms.describeKey({ keyId: ref }), 'KEY_NOT_FOUND');
      await expectKmsError(t.kms.encrypt({ keyId: ref, plaintext: utf8('x') }), 'KEY_NOT_FOUND');
    }
  });

  it('an alias cannot target another alias: VALIDATION_ERROR', async () => {
    const keyId = await newKey();
    const alias = name('target');
    await t.kms.createAlias({ aliasName: alias, targetKeyId: keyId });
    await expectKmsError(t.kms.createAlias({ aliasName: name(), targetKeyId: alias }), 'VALIDATION_ERROR');
    await expectKmsError(
      t.kms.createAlias({ aliasName: name(), targetKeyId: `${ARN_PREFIX}:${alias}` }),
      'VALIDATION_ERROR',
    );
  });

  it('updateAlias points the alias at another key of the same kind; new encryptions use it, old blobs still decrypt', async () => {
    const first = await newKey();
    const second = await newKey();
    const alias = name('move');
    await t.kms.createAlias({ aliasName: alias, targetKeyId: first });
    const old = await t.kms.encrypt({ keyId: alias, plaintext: utf8('old') });
    t.clock.advanceMs(5000);
    await t.kms.updateAlias({ aliasName: alias, targetKeyId: `${ARN_PREFIX}:key/${second}` });
    expect((await t.kms.describeKey({ keyId: alias })).keyMetadata.keyId).toBe(second);
    const fresh = await t.kms.encrypt({ keyId: alias, plaintext: utf8('new') });
    expect(fresh.keyId).toBe(`${ARN_PREFIX}:key/${second}`);
    expect(text((await t.kms.decrypt({ ciphertextBlob: old.ciphertextBlob })).plaintext)).toBe('old');
    const [entry] = (await t.kms.listAliases({ keyId: second })).aliases;
    expect(entry!.aliasName).toBe(alias);
    expect(entry!.lastUpdatedDate!.getTime() - entry!.creationDate!.getTime()).toBe(5000);
    expect((await t.kms.listAliases({ keyId: first })).aliases).toEqual([]);
  });

  it('updateAlias to a key of another usage fails with VALIDATION_ERROR and leaves the alias in place', async () => {
    const aes = await newKey();
    const hmac = await newKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' });
    const signing = await newKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    const agreement = await newKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' });
    const alias = name('usage');
    await t.kms.createAlias({ aliasName: alias, targetKeyId: aes });
    for (const other of [hmac, signing])
      await expectKmsError(t.kms.updateAlias({ aliasName: alias, targetKeyId: other }), 'VALIDATION_ERROR');
    const signAlias = name('sign');
    await t.kms.createAlias({ aliasName: signAlias, targetKeyId: signing });
    await expectKmsError(t.kms.updateAlias({ aliasName: signAlias, targetKeyId: agreement }), 'VALIDATION_ERROR');
    expect((await t.kms.describeKey({ keyId: alias })).keyMetadata.keyId).toBe(aes);
    expect((await t.kms.describeKey({ keyId: signAlias })).keyMetadata.keyId).toBe(signing);
  });

  it('deleteAlias removes the alias, never the key, and frees the name', async () => {
    const keyId = await newKey();
    const alias = name('del');
    await t.kms.createAlias({ aliasName: alias, targetKeyId: keyId });
    await t.kms.deleteAlias({ aliasName: alias });
    await expectKmsError(t.kms.describeKey({ keyId: alias }), 'ALIAS_NOT_FOUND');
    expect((await t.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Enabled');
    await t.kms.createAlias({ aliasName: alias, targetKeyId: keyId });
    expect((await t.kms.describeKey({ keyId: alias })).keyMetadata.keyId).toBe(keyId);
  });

  it("listAliases by keyId returns that key's aliases with ARN, target and dates, ordered by name", async () => {
    const keyId = await newKey();
    const names = ['alias/zz-list', 'alias/aa-list', 'alias/mm-list'];
    for (const aliasName of names) await t.kms.createAlias({ aliasName, targetKeyId: keyId });
    const byId = await t.kms.listAliases({ keyId });
    expect(byId.truncated).toBe(false);
    expect(byId.aliases.map((a) => a.aliasName)).toEqual([...names].sort());
    for (const a of byId.aliases) {
      expect(a.aliasArn).toBe(`${ARN_PREFIX}:${a.aliasName}`);
      expect(a.targetKeyId).toBe(keyId);
      expect(a.creationDate).toEqual(t.clock.now());
    }
    expect((await t.kms.listAliases({ keyId: 'alias/aa-list' })).aliases.map((a) => a.aliasName)).toEqual(
      [...names].sort(),
    );
    await expectKmsError(t.kms.listAliases({ keyId: '00000000-0000-4000-8000-000000000000' }), 'KEY_NOT_FOUND');
  });

  it('listAliases pages with limit and marker, each alias exactly once', async () => {
    const keyId = await newKey();
    const names = Array.from({ length: 7 }, (_, i) => `alias/page-${String(i).padStart(2, '0')}`);
    for (const aliasName of names) await t.kms.createAlias({ aliasName, targetKeyId: keyId });
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await t.kms.listAliases({ keyId, limit: 3, ...(marker ? { marker } : {}) });
      pages++;
      seen.push(...page.aliases.map((a) => a.aliasName));
      if (!page.truncated) {
        expect(page.nextMarker).toBeUndefined();
        break;
      }
      expect(page.aliases).toHaveLength(3);
      marker = page.nextMarker!;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
    // Across all keys too.
    const all: string[] = [];
    marker = undefined;
    for (;;) {
      const page = await t.kms.listAliases({ limit: 2, ...(marker ? { marker } : {}) });
      all.push(...page.aliases.map((a) => a.aliasName));
      if (!page.truncated) break;
      marker = page.nextMarker!;
    }
    expect(new Set(all).size).toBe(all.length);
    for (const aliasName of names) expect(all).toContain(aliasName);
  });

  it('listAliases with an invalid marker fails with INVALID_MARKER', async () => {
    await expectKmsError(t.kms.listAliases({ marker: 'garbage!' }), 'INVALID_MARKER');
    await expectKmsError(t.kms.listAliases({ marker: Buffer.from('42').toString('base64url') }), 'INVALID_MARKER');
  });
});

describe('tags', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  const newKey = async (tags?: Tag[]) => (await t.kms.createKey(tags ? { tags } : {})).keyMetadata.keyId;
  const tagsOf = async (keyId: string) => (await t.kms.listResourceTags({ keyId })).tags;
  const many = (count: number, prefix = 'k') =>
    Array.from({ length: count }, (_, i) => ({ tagKey: `${prefix}${String(i).padStart(3, '0')}`, tagValue: `v${i}` }));

  it('createKey tags are listed, ordered by tag key', async () => {
    const keyId = await newKey([
      { tagKey: 'b', tagValue: '2' },
      { tagKey: 'a', tagValue: '1' },
    ]);
    expect(await tagsOf(keyId)).toEqual([
      { tagKey: 'a', tagValue: '1' },
      { tagKey: 'b', tagValue: '2' },
    ]);
  });

  it('tagResource adds and overwrites; untagResource removes and ignores absent keys', async () => {
    const keyId = await newKey([{ tagKey: 'team', tagValue: 'red' }]);
    await t.kms.tagResource({
      keyId,
      tags: [
        { tagKey: 'team', tagValue: 'blue' },
        { tagKey: 'cost', tagValue: '' },
      ],
    });
    expect(await tagsOf(keyId)).toEqual([
      { tagKey: 'cost', tagValue: '' },
      { tagKey: 'team', tagValue: 'blue' },
    ]);
    await t.kms.untagResource({ keyId, tagKeys: ['team', 'never-set'] });
    expect(await tagsOf(keyId)).toEqual([{ tagKey: 'cost', tagValue: '' }]);
    await t.kms.untagResource({ keyId, tagKeys: [] });
    expect(await tagsOf(keyId)).toEqual([{ tagKey: 'cost', tagValue: '' }]);
  });

  it.each(['aws:x', 'AWS:x', 'Aws:created'])(
    "tag key %j (reserved 'aws:' prefix) fails with VALIDATION_ERROR and writes nothing",
    async (tagKey) => {
      const keyId = await newKey([{ tagKey: 'keep', tagValue: '1' }]);
      await expectKmsError(
        t.kms.tagResource({
          keyId,
          tags: [
            { tagKey: 'ok', tagValue: '1' },
            { tagKey, tagValue: 'x' },
          ],
        }),
        'VALIDATION_ERROR',
      );
      expect(await tagsOf(keyId)).toEqual([{ tagKey: 'keep', tagValue: '1' }]);
      const before = (await t.kms.listKeys({ limit: 1000 })).keys.length;
      await expectKmsError(t.kms.createKey({ tags: [{ tagKey, tagValue: 'x' }] }), 'VALIDATION_ERROR');
      expect((await t.kms.listKeys({ limit: 1000 })).keys.length).toBe(before);
    },
  );

  it('duplicate tag keys in one request fail with VALIDATION_ERROR', async () => {
    const keyId = await newKey();
    await expectKmsError(
      t.kms.tagResource({
        keyId,
        tags: [
          { tagKey: 'a', tagValue: '1' },
          { tagKey: 'a', tagValue: '2' },
        ],
      }),
      'VALIDATION_ERROR',
    );
    expect(await tagsOf(keyId)).toEqual([]);
  });

  it('51 tags in one request fail with LIMIT_EXCEEDED and nothing is written', async () => {
    const keyId = await newKey();
    await expectKmsError(t.kms.tagResource({ keyId, tags: many(51) }), 'LIMIT_EXCEEDED');
    expect(await tagsOf(keyId)).toEqual([]);
    const before = (await t.kms.listKeys({ limit: 1000 })).keys.length;
    await expectKmsError(t.kms.createKey({ tags: many(51) }), 'LIMIT_EXCEEDED');
    expect((await t.kms.listKeys({ limit: 1000 })).keys.length).toBe(before);
  });

  it('tags that would take a key past 50 fail with LIMIT_EXCEEDED and nothing is written; overwrites at 50 are fine', async () => {
    const keyId = await newKey(many(48));
    await expectKmsError(
      t.kms.tagResource({ keyId, tags: [...many(1, 'n'), ...many(2, 'm'), { tagKey: 'k000', tagValue: 'changed' }] }),
      'LIMIT_EXCEEDED',
    );
    const after = await tagsOf(keyId);
    expect(after).toHaveLength(48);
    expect(after.find((tag) => tag.tagKey === 'k000')!.tagValue).toBe('v0');
    await t.kms.tagResource({ keyId, tags: many(2, 'm') });
    await t.kms.tagResource({ keyId, tags: [{ tagKey: 'k000', tagValue: 'changed' }] });
    const all: Tag[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await t.kms.listResourceTags({ keyId, limit: 50, ...(marker ? { marker } : {}) });
      all.push(...page.tags);
      if (!page.truncated) break;
      marker = page.nextMarker!;
    }
    expect(all).toHaveLength(50);
    expect(all.find((tag) => tag.tagKey === 'k000')!.tagValue).toBe('changed');
  });

  it('listResourceTags pages with limit and marker, each tag exactly once', async () => {
    const tags = many(12);
    const keyId = await newKey(tags);
    const seen: Tag[] = [];
    let marker: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await t.kms.listResourceTags({ keyId, limit: 5, ...(marker ? { marker } : {}) });
      pages++;
      seen.push(...page.tags);
      if (!page.truncated) {
        expect(page.nextMarker).toBeUndefined();
        break;
      }
      marker = page.nextMarker!;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(tags);
  });

  it('listResourceTags with an invalid marker fails with INVALID_MARKER', async () => {
    const keyId = await newKey(many(3));
    for (const marker of ['x', '-1', '99', '1.5'])
      await expectKmsError(t.kms.listResourceTags({ keyId, marker }), 'INVALID_MARKER');
  });
});

describe('listKeys, descriptions and key policies', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  it('listKeys over 25 keys with limit 10 returns each key exactly once in 3 pages (keys created in the same millisecond)', async () => {
    const created = new Set<string>();
    for (let i = 0; i < 25; i++) created.add((await t.kms.createKey({ description: `k${i}` })).keyMetadata.keyId);
    const seen: string[] = [];
    const sizes: number[] = [];
    let marker: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = await t.kms.listKeys({ limit: 10, ...(marker ? { marker } : {}) });
      sizes.push(page.keys.length);
      for (const k of page.keys) {
        expect(k.keyArn).toBe(`${ARN_PREFIX}:key/${k.keyId}`);
        seen.push(k.keyId);
      }
      expect(page.truncated).toBe(page.nextMarker !== undefined);
      if (!page.truncated) break;
      marker = page.nextMarker;
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(created);
  });

  it('listKeys with an invalid marker fails with INVALID_MARKER', async () => {
    for (const marker of [
      'not base64 !',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1]').toString('base64url'),
    ]) {
      await expectKmsError(t.kms.listKeys({ marker }), 'INVALID_MARKER');
    }
  });

  it('updateKeyDescription changes what describeKey reports', async () => {
    const { keyId } = (await t.kms.createKey({ description: 'before' })).keyMetadata;
    await t.kms.updateKeyDescription({ keyId, description: 'after' });
    expect((await t.kms.describeKey({ keyId })).keyMetadata.description).toBe('after');
    await t.kms.updateKeyDescription({ keyId, description: '' });
    expect((await t.kms.describeKey({ keyId })).keyMetadata.description).toBe('');
  });

  it('getKeyPolicy returns the default policy (named default) until one is put; putKeyPolicy replaces it', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const initial = await t.kms.getKeyPolicy({ keyId });
    expect(initial.policyName).toBe('default');
    const parsed = JSON.parse(initial.policy) as { Version: string; Statement: { Principal: { AWS: string } }[] };
    expect(parsed.Version).toBe('2012-10-17');
    expect(parsed.Statement[0]!.Principal.AWS).toBe('arn:aws:iam::000000000000:root');
    expect(await t.kms.getKeyPolicy({ keyId, policyName: 'default' })).toEqual(initial);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'kms:*', Resource: '*' }],
    });
    await t.kms.putKeyPolicy({ keyId, policy });
    expect(await t.kms.getKeyPolicy({ keyId })).toEqual({ policy, policyName: 'default' });
    expect(await t.kms.listKeyPolicies({ keyId })).toEqual({ policyNames: ['default'], truncated: false });
    await expectKmsError(t.kms.listKeyPolicies({ keyId, marker: 'x' }), 'INVALID_MARKER');
  });

  it('createKey with a policy stores it', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::000000000000:root' },
        Action: 'kms:*',
        Resource: '*',
      },
    });
    const { keyId } = (await t.kms.createKey({ policy })).keyMetadata;
    expect((await t.kms.getKeyPolicy({ keyId })).policy).toBe(policy);
  });

  it.each(['not json', '[1,2]', '"text"', '42', 'null', '{"unterminated":', '{}', '{"Statement":[]}'])(
    'a policy %j fails with MALFORMED_POLICY_DOCUMENT and is not stored',
    async (policy) => {
      const { keyId } = (await t.kms.createKey({})).keyMetadata;
      const before = await t.kms.getKeyPolicy({ keyId });
      await expectKmsError(t.kms.putKeyPolicy({ keyId, policy }), 'MALFORMED_POLICY_DOCUMENT');
      expect(await t.kms.getKeyPolicy({ keyId })).toEqual(before);
      await expectKmsError(t.kms.createKey({ policy }), 'MALFORMED_POLICY_DOCUMENT');
    },
  );

  it('an unknown policyName fails with NOT_FOUND; a malformed one with VALIDATION_ERROR', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    await expectKmsError(t.kms.getKeyPolicy({ keyId, policyName: 'other' }), 'NOT_FOUND');
    await expectKmsError(t.kms.putKeyPolicy({ keyId, policyName: 'other', policy: '{}' }), 'NOT_FOUND');
    await expectKmsError(t.kms.getKeyPolicy({ keyId, policyName: 'bad name!' }), 'VALIDATION_ERROR');
    expect((await t.kms.getKeyPolicy({ keyId })).policy).not.toBe('{}');
  });
});
