// `custos server` settings → startServer options: the mapping itself (no process needed).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverOptions } from '../../src/cli/commands/server-options.js';
import { readConfigFile } from '../../src/cli/commands/server-settings.js';

type Settings = Parameters<typeof serverOptions>[0];
const base: Settings = { dataDir: './data', listen: '127.0.0.1:7300' };

describe('custos server settings', () => {
  it('builds the PostgreSQL store once, with the pool size and timeouts as numbers', () => {
    const options = serverOptions({
      ...base,
      databaseUrl: 'postgres://db/custos',
      databaseSchema: 'custos',
      databasePoolSize: '20',
      databaseConnectionTimeout: '1500',
      databaseStatementTimeout: '30000',
    });
    expect(options.store).toEqual({
      kind: 'postgres',
      url: 'postgres://db/custos',
      schema: 'custos',
      poolSize: 20,
      connectionTimeoutMs: 1500,
      statementTimeoutMs: 30000,
    });
    expect(serverOptions({ ...base, databaseUrl: 'postgres://db/custos' }).store).toEqual({
      kind: 'postgres',
      url: 'postgres://db/custos',
    });
  });

  it('passes --hsm-module on as an absolute path, and nothing without it', () => {
    expect(serverOptions({ ...base, hsmModule: 'lib/p11.so' }).hsmModule).toBe(resolve('lib/p11.so'));
    expect(serverOptions({ ...base, hsmModule: '/usr/lib/softhsm/libsofthsm2.so' }).hsmModule).toBe(
      '/usr/lib/softhsm/libsofthsm2.so',
    );
    expect(serverOptions(base)).not.toHaveProperty('hsmModule');
  });

  it('selects the SQLite store in the data directory without --database-url', () => {
    expect(serverOptions(base).store).toEqual({ kind: 'sqlite' });
  });

  it('leaves the TLS files to startServer, which owns the rule that cert and key go together', () => {
    expect(serverOptions({ ...base, tlsCert: 'cert.pem' })).toMatchObject({ tlsCert: 'cert.pem' });
  });

  it('passes the AWS region and account of key ARNs through', () => {
    expect(serverOptions({ ...base, awsRegion: 'eu-west-1', awsAccountId: '123456789012' })).toMatchObject({
      awsRegion: 'eu-west-1',
      awsAccountId: '123456789012',
    });
  });

  it('maps --plaintext-import allow|deny onto allowPlaintextImport and refuses anything else', () => {
    expect(serverOptions({ ...base, plaintextImport: 'allow' })).toMatchObject({ allowPlaintextImport: true });
    expect(serverOptions({ ...base, plaintextImport: 'deny' })).toMatchObject({ allowPlaintextImport: false });
    expect(serverOptions(base)).not.toHaveProperty('allowPlaintextImport');
    expect(() => serverOptions({ ...base, plaintextImport: 'yes' })).toThrow(/allow or deny/);
  });

  it('maps --key-cache-mb and --key-cache-preload on|off onto the key cache settings, together or alone', () => {
    expect(serverOptions({ ...base, keyCacheMb: '64', keyCachePreload: 'off' }).kmsOptions?.config).toEqual({
      keyCacheBytes: 64 * 1024 * 1024,
      keyCachePreload: false,
    });
    expect(serverOptions({ ...base, keyCachePreload: 'on' }).kmsOptions?.config).toEqual({ keyCachePreload: true });
    expect(serverOptions({ ...base, keyCacheMb: '8' }).kmsOptions?.config).toEqual({ keyCacheBytes: 8 * 1024 * 1024 });
    expect(serverOptions(base)).not.toHaveProperty('kmsOptions');
    expect(() => serverOptions({ ...base, keyCachePreload: 'yes' })).toThrow(/on or off/);
  });

  it('refuses database settings without --database-url, and a timeout that is not a count', () => {
    expect(() => serverOptions({ ...base, databaseStatementTimeout: '100' })).toThrow(/database-url/);
    expect(() => serverOptions({ ...base, databaseUrl: 'postgres://db', databaseConnectionTimeout: 'soon' })).toThrow();
  });

  it('refuses a config file that is missing, not JSON, not an object, or has a value of the wrong type, never quoting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-config-'));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const messageOf = (path: string) => {
      try {
        readConfigFile(path);
      } catch (error) {
        expect((error as { code?: string }).code).toBe('USAGE');
        return (error as Error).message;
      }
      throw new Error(`${path} was accepted`);
    };
    expect(messageOf(join(dir, 'missing.json'))).toMatch(/cannot read config file .*ENOENT/);
    const leaky = messageOf(file('bad.json', '{ "databaseUrl": postgres://custos:hunter2@db/custos }'));
    expect(leaky).toMatch(/is not valid JSON$/);
    expect(leaky).not.toContain('hunter2');
    expect(messageOf(file('array.json', '["dataDir"]'))).toMatch(/must hold a JSON object/);
    expect(messageOf(file('nested.json', '{ "dataDir": { "path": "x" } }'))).toMatch(
      /'dataDir' must be a string or a number/,
    );
    expect(readConfigFile(file('good.json', '{ "dataDir": "d", "rateLimit": 5 }'))).toEqual({
      dataDir: 'd',
      rateLimit: '5',
    });
  });
});
