// `custos key list` with the server's filters and sort (--state, --spec, --usage, --tag, --search, --sort, --desc)
// end to end against a real server; the listing itself is tested in test/service/list-keys.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, type TestServer, errorCode, startTestServer } from './helpers.js';

let t: TestServer;
const made: { id: string; ec: boolean; disabled: boolean; pay: boolean }[] = [];
beforeAll(async () => {
  t = await startTestServer();
  for (let n = 0; n < 6; n++) {
    const ec = n % 2 === 1;
    const pay = n % 3 === 0;
    const { keyId } = (
      await t.kms.createKey({
        ...(ec ? { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' } : {}),
        tags: [{ tagKey: 'team', tagValue: pay ? 'pay' : 'ops' }],
      })
    ).keyMetadata;
    await t.kms.createAlias({ aliasName: `alias/cli-list-${n}`, targetKeyId: keyId });
    const disabled = n === 2 || n === 3;
    if (disabled) await t.kms.disableKey({ keyId });
    made.push({ id: keyId, ec, disabled, pay });
  }
}, 120_000);
afterAll(() => t?.stop());

function ids(r: CliResult): string[] {
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout.toString()) as { keys: { keyId: string }[] }).keys.map((k) => k.keyId);
}

describe('custos key list filters', { timeout: 120_000 }, () => {
  it('--state, --spec, --usage and --tag filter on the server', async () => {
    const mine = new Set(made.map((k) => k.id));
    const only = (r: CliResult) => ids(r).filter((id) => mine.has(id));
    expect(only(await t.run(['key', 'list', '--state', 'Disabled', '--json'])).sort()).toEqual(
      made
        .filter((k) => k.disabled)
        .map((k) => k.id)
        .sort(),
    );
    expect(
      only(await t.run(['key', 'list', '--spec', 'ECC_NIST_P256', '--state', 'Enabled', '--json'])).sort(),
    ).toEqual(
      made
        .filter((k) => k.ec && !k.disabled)
        .map((k) => k.id)
        .sort(),
    );
    expect(only(await t.run(['key', 'list', '--usage', 'SIGN_VERIFY', '--json'])).sort()).toEqual(
      made
        .filter((k) => k.ec)
        .map((k) => k.id)
        .sort(),
    );
    expect(only(await t.run(['key', 'list', '--tag', 'team=pay', '--json'])).sort()).toEqual(
      made
        .filter((k) => k.pay)
        .map((k) => k.id)
        .sort(),
    );
  });

  it('--search finds by alias prefix; --sort key-id --desc orders by key id descending; the table shows aliases', async () => {
    expect(ids(await t.run(['key', 'list', '--search', 'cli-list-4', '--json']))).toEqual([made[4]?.id]);
    const sorted = ids(await t.run(['key', 'list', '--search', 'cli-list-', '--sort', 'keyId', '--desc', '--json']));
    expect(sorted).toEqual(
      made
        .map((k) => k.id)
        .sort()
        .reverse(),
    );
    const human = await t.run(['key', 'list', '--search', 'alias/cli-list-1']);
    expect(human.stdout.toString()).toMatch(/ECC_NIST_P256\s+SIGN_VERIFY\s+Enabled\s+alias\/cli-list-1/);
  });

  it('refuses an unknown state as a usage error', async () => {
    const r = await t.run(['key', 'list', '--state', 'Sleeping']);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('USAGE');
  });
});
