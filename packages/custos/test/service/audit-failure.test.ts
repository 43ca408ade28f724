// DESIGN: nothing is acknowledged before its audit record is durable. When the audit write fails, the operation's
// result is withheld: the caller gets INTERNAL (no detail), and both failed writes reach the log.
import { createSecretKey } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RootOfTrust } from '../../src/keystore/root-of-trust.js';
import { DEFAULT_CONFIG } from '../../src/service/context.js';
import { TokenHasher } from '../../src/service/integrity/keys.js';
import { KeyService } from '../../src/service/key-service.js';
import { SERVICE_OPERATIONS } from '../../src/service/operations/index.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { withRowKey } from '../helpers/row-key.js';

describe('an audit write that fails', () => {
  let store: Store;
  let service: KeyService | undefined;
  beforeEach(async () => {
    store = withRowKey(await openSqliteStore(':memory:'));
  });
  afterEach(async () => {
    await service?.close();
    await store.close();
  });

  it('turns a successful operation into INTERNAL without its result, and is logged', async () => {
    const logged: { details: Record<string, unknown>; message: string }[] = [];
    service = new KeyService({
      store,
      rootOfTrust: {} as RootOfTrust, // GenerateRandom never reaches it
      tokenHasher: new TokenHasher(createSecretKey(new Uint8Array(32))), // no token is used
      auditSink: { commit: () => Promise.reject(new Error('disk full')), close: async () => undefined },
      config: DEFAULT_CONFIG,
      now: () => new Date(),
      logger: { error: (details, message) => logged.push({ details, message }) },
    });
    const error = await expectKmsError(
      service.run(
        SERVICE_OPERATIONS.generateRandom,
        { numberOfBytes: 16 },
        { principal: 'p', roles: ['admin'], requestId: 'r-1' },
      ),
      'INTERNAL',
    );
    expect(error.message).toBe('internal error (request r-1)');
    expect(logged.map((l) => l.message)).toEqual(['internal error', 'audit write failed']);
    expect(logged.every((l) => l.details.requestId === 'r-1')).toBe(true);
  });

  it('leaves a refused call with its own error when the audit write throws at once instead of rejecting', async () => {
    const logged: string[] = [];
    service = new KeyService({
      store,
      rootOfTrust: {} as RootOfTrust,
      tokenHasher: new TokenHasher(createSecretKey(new Uint8Array(32))),
      auditSink: { commit: async () => ({ firstSeq: 1, hashes: [] }), close: async () => undefined },
      config: DEFAULT_CONFIG,
      now: () => {
        throw new Error('clock broken'); // read only by the audit write, synchronously
      },
      logger: { error: (_details, message) => logged.push(message) },
    });
    await expectKmsError(
      service.run(
        SERVICE_OPERATIONS.generateRandom,
        { numberOfBytes: 0 },
        { principal: 'p', roles: ['admin'], requestId: 'r-2' },
      ),
      'VALIDATION_ERROR',
    );
    expect(logged).toEqual(['audit write failed']);
  });
});
