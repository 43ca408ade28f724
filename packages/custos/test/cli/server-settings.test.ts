// `custos server` settings → startServer options: the mapping itself (no process needed).
import { describe, expect, it } from 'vitest';
import { serverOptions } from '../../src/cli/commands/server.js';

type Settings = Parameters<typeof serverOptions>[0];
const base = { dataDir: './data', listen: '127.0.0.1:7300' } as Settings;

describe('custos server settings', () => {
  it('passes the PostgreSQL pool size and timeouts through as numbers', () => {
    const options = serverOptions({
      ...base,
      databaseUrl: 'postgres://db/custos',
      databasePoolSize: '20',
      databaseConnectionTimeout: '1500',
      databaseStatementTimeout: '30000',
    } as Settings);
    expect(options).toMatchObject({
      databaseUrl: 'postgres://db/custos',
      databasePoolSize: 20,
      databaseConnectionTimeoutMs: 1500,
      databaseStatementTimeoutMs: 30000,
    });
  });

  it('passes the AWS region and account of key ARNs through', () => {
    expect(serverOptions({ ...base, awsRegion: 'eu-west-1', awsAccountId: '123456789012' } as Settings)).toMatchObject({
      awsRegion: 'eu-west-1',
      awsAccountId: '123456789012',
    });
  });

  it('refuses database settings without --database-url, and a timeout that is not a count', () => {
    expect(() => serverOptions({ ...base, databaseStatementTimeout: '100' } as Settings)).toThrow(/database-url/);
    expect(() => serverOptions({ ...base, databaseUrl: 'postgres://db', databaseConnectionTimeout: 'soon' } as Settings)).toThrow();
  });
});
