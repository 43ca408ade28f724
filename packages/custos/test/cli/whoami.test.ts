// `custos whoami`: the caller's principal, roles and permitted operations, as text and as JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

describe('custos whoami', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.stop());

  it('prints the admin, its roles and what they permit', async () => {
    const text = await t.run(['whoami']);
    expect(text.code).toBe(0);
    expect(text.stdout.toString()).toMatch(/^Principal\s+admin$/m);
    const json = await t.run(['whoami', '--json']);
    const me = JSON.parse(json.stdout.toString());
    expect(me.roles).toEqual(['admin']);
    expect(me.operations).toContain('CreateKey');
  });

  it('shows a key user that it may not manage keys', async () => {
    const { token } = await t.kms.createToken({ roles: ['key-user'] });
    const me = JSON.parse((await t.run(['whoami', '--json'], { env: { CUSTOS_TOKEN: token } })).stdout.toString());
    expect(me.roles).toEqual(['key-user']);
    expect(me.operations).toContain('Encrypt');
    expect(me.operations).not.toContain('DisableKey');
  });
});
