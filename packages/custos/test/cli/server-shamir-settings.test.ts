// `custos server --root-of-trust shamir` settings → startServer options (no process needed): the Shamir root with its
// optional root key file, and the settings that belong to other roots refused as usage errors.
import { describe, expect, it } from 'vitest';
import { serverOptions } from '../../src/cli/commands/server-options.js';
import { UsageError } from '../../src/cli/errors.js';

type Settings = Parameters<typeof serverOptions>[0];
const base: Settings = { dataDir: './data', listen: '127.0.0.1:7300', rootOfTrust: 'shamir' };

describe('custos server --root-of-trust shamir', () => {
  it('selects the Shamir root (the server starts sealed), with or without a root key file', () => {
    expect(serverOptions(base).rootOfTrust).toEqual({ kind: 'shamir' });
    expect(serverOptions({ ...base, rootKeyFile: '/etc/custos/root.key' })).toMatchObject({
      rootOfTrust: { kind: 'shamir' },
      rootKeyFile: '/etc/custos/root.key',
    });
  });

  it('refuses a passphrase file, PKCS#11 settings and an unknown root as usage errors', () => {
    expect(() => serverOptions({ ...base, passphraseFile: './pass' })).toThrow(UsageError);
    expect(() => serverOptions({ ...base, pkcs11Module: '/usr/lib/softhsm/libsofthsm2.so' })).toThrow(UsageError);
    expect(() => serverOptions({ ...base, rootOfTrust: 'vault' })).toThrow(/file, shamir or pkcs11/);
  });
});
