// PostgreSQL test support: the server URL, a reachability check at module load (skip loudly when absent),
// and one throwaway schema per store or LocalKms under test. Must not import service or api.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

/** The test server: CUSTOS_TEST_POSTGRES_URL, or the local default (trust auth). */
export const PG_URL = process.env.CUSTOS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL with any password hidden, for messages. */
const PG_URL_SHOWN = PG_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether the test server answered a quick connect when this module loaded. */
const PG_REACHABLE = await reachable();

/**
 * `describe` when the server is reachable; otherwise `describe.skip`, after a warning naming what
 * is skipped (so a missing server shows in the output instead of passing silently). With
 * CUSTOS_REQUIRE_POSTGRES=1 (CI) an unreachable server fails the file instead.
 */
export function describePostgres(what: string): typeof describe | typeof describe.skip {
  if (PG_REACHABLE) return describe;
  if (process.env.CUSTOS_REQUIRE_POSTGRES === '1') {
    throw new Error(`PostgreSQL not reachable at ${PG_URL_SHOWN} and CUSTOS_REQUIRE_POSTGRES=1: cannot run ${what}`);
  }
  console.warn(`PostgreSQL not reachable at ${PG_URL_SHOWN}: skipping ${what}`);
  return describe.skip;
}

/** A fresh schema name (not created: openPostgresStore creates it). */
export function testSchemaName(): string {
  return `custos_test_${randomBytes(6).toString('hex')}`;
}

/** Runs `fn` on a short-lived connection of its own (outside any store's pool). */
export async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** DROP SCHEMA ... CASCADE; `schema` must come from testSchemaName. */
export async function dropSchema(schema: string): Promise<void> {
  if (!/^custos_test_[0-9a-f]+$/.test(schema)) throw new Error(`refusing to drop schema ${schema}`);
  await withClient((client) => client.query(`drop schema if exists ${schema} cascade`));
}
