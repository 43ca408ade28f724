// authenticateAccessKey: who an AWS access key stands for, and its secret, for the AWS protocol's SigV4 check
// (service-level, not a Kms operation). Must not import api.
import { AuthenticationError, type Caller } from '@custos/contract';
import { SecretBytes } from '../core/secret-bytes.js';
import * as repo from '../store/repositories/index.js';
import type { ServiceContext } from './context.js';
import { guardIntegrity } from './integrity/failure.js';
import { secretAad } from './operations/create-access-key.js';

/** The exact shape of an access key id: anything else is refused before any lookup. */
const ACCESS_KEY_ID_PATTERN = /^AKIACUSTOS[A-Z2-7]{10}$/;
/** `lastUsedAt` is written at most this often per access key, to keep authentication off the write path. */
const TOUCH_INTERVAL_MS = 60_000;

/** What a SigV4 check needs: who the access key stands for, and its secret (wipe it after use). */
export interface AuthenticatedAccessKey {
  readonly caller: Caller;
  readonly secretAccessKey: SecretBytes;
  /**
   * Records a successful use (`lastUsedAt`, written at most once a minute). Call it once the signature has
   * verified, so that a request with a known id and a wrong signature does not count as a use. Never throws.
   */
  recordUse(): Promise<void>;
}

/**
 * The caller and secret of an access key; UNAUTHENTICATED (one message) when the id is malformed, unknown or
 * revoked. Read from the store on every call, so a revoke takes effect at once on every node.
 */
export async function authenticateAccessKey(
  context: ServiceContext,
  accessKeyId: string,
): Promise<AuthenticatedAccessKey> {
  if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID_PATTERN.test(accessKeyId)) throw new AuthenticationError();
  const record = await guardIntegrity(context, 'AuthenticateAccessKey', () =>
    repo.accessKeys.get(context.store.db, accessKeyId),
  );
  if (!record || record.revokedAt) throw new AuthenticationError();
  const secretAccessKey = await context.rootOfTrust.unwrap(record.wrappedSecret, secretAad(record.id));
  return {
    caller: { principal: record.principal, roles: record.roles, ...(record.tags ? { tags: record.tags } : {}) },
    secretAccessKey,
    async recordUse() {
      const now = context.now();
      if (record.lastUsedAt && now.getTime() - record.lastUsedAt.getTime() < TOUCH_INTERVAL_MS) return;
      await repo.accessKeys.touch(context.store.db, record.id, now).catch((err: unknown) => {
        context.logger.error({ err, accessKeyId }, 'recording access key use failed');
      });
    },
  };
}
