// What the custom key store operations share: loading a store by id, its list entry (with this node's view of the
// connection), new ids and the trust anchor check. Must not import api.
import { randomBytes, X509Certificate } from 'node:crypto';
import {
  NotFoundError,
  ValidationError,
  type CreateKeyRequest,
  type CustomKeyStoresListEntry,
  type KeyMetadata,
} from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { Db } from '../../store/index.js';
import type { CustomKeyStoreRecord, KeyRecord } from '../../store/types.js';
import type { ServiceContext } from '../context.js';

/** The store with this id, or CUSTOM_KEY_STORE_NOT_FOUND. */
export async function loadKeyStore(db: Db, id: string): Promise<CustomKeyStoreRecord> {
  const store = await repo.customKeyStores.get(db, id);
  if (!store) throw keyStoreNotFound(id);
  return store;
}

export function keyStoreNotFound(what: string): NotFoundError {
  return new NotFoundError(`custom key store not found: ${what}`, 'CUSTOM_KEY_STORE_NOT_FOUND');
}

/** `cks-` and 17 random hex characters (68 bits: an identifier, not a secret), the shape of AWS's ids. */
export function newKeyStoreId(): string {
  return `cks-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

const PEM_CERTIFICATE = /^\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;

/**
 * The trust anchor as kept: one PEM X.509 certificate that parses, else INCORRECT_TRUST_ANCHOR (AWS
 * IncorrectTrustAnchorException). A PKCS#11 token has no cluster certificate to compare it with: it is kept, not used.
 */
export function checkTrustAnchor(pem: string): string {
  const refuse = (): never => {
    throw new ValidationError(
      'TrustAnchorCertificate must be one PEM X.509 certificate (-----BEGIN CERTIFICATE-----)',
      'INCORRECT_TRUST_ANCHOR',
    );
  };
  if (!PEM_CERTIFICATE.test(pem)) refuse();
  try {
    new X509Certificate(pem);
  } catch {
    refuse();
  }
  return pem.trim() + '\n';
}

/**
 * The store as DescribeCustomKeyStores shows it. A store its row says is CONNECTED shows FAILED on a node whose own
 * (lazy) connection failed, with the reason.
 */
export function keyStoreEntry(ctx: ServiceContext, store: CustomKeyStoreRecord): CustomKeyStoresListEntry {
  const localFailure = store.connectionState === 'CONNECTED' ? ctx.keyStores.failure(store.id) : undefined;
  const errorCode = localFailure ?? store.connectionErrorCode;
  const state = localFailure ? 'FAILED' : store.connectionState;
  return {
    customKeyStoreId: store.id,
    customKeyStoreName: store.name,
    customKeyStoreType: 'AWS_CLOUDHSM',
    cloudHsmClusterId: store.tokenLabel,
    trustAnchorCertificate: store.trustAnchor,
    connectionState: state,
    ...(state === 'FAILED' && errorCode ? { connectionErrorCode: errorCode } : {}),
    creationDate: store.createdAt,
  };
}

/**
 * The custom key store CreateKey makes the key in, or null. As on AWS, `customKeyStoreId` and origin AWS_CLOUDHSM go
 * together (VALIDATION_ERROR otherwise), and such a key is HSM-protected.
 */
export function customKeyStoreOf(input: CreateKeyRequest): string | null {
  const id = input.customKeyStoreId;
  if (id === undefined && input.origin !== 'AWS_CLOUDHSM') return null;
  if (id === undefined || input.origin !== 'AWS_CLOUDHSM')
    throw new ValidationError('a key in a custom key store needs both CustomKeyStoreId and Origin AWS_CLOUDHSM');
  if (input.protectionLevel === 'SOFTWARE')
    throw new ValidationError('a key in a custom key store is HSM-protected: protectionLevel SOFTWARE does not apply');
  return id;
}

/** KeyMetadata's CustomKeyStoreId and CloudHsmClusterId (the token label) of a key in a custom key store. */
export async function keyStoreFields(
  db: Db,
  key: KeyRecord,
): Promise<Pick<KeyMetadata, 'customKeyStoreId' | 'cloudHsmClusterId'>> {
  if (key.origin !== 'AWS_CLOUDHSM') return {};
  const version = await repo.keyVersions.get(db, key.id, Math.max(1, key.latestVersion));
  const storeId = version?.customKeyStoreId;
  if (!storeId) return {};
  const store = await repo.customKeyStores.get(db, storeId);
  return { customKeyStoreId: storeId, ...(store ? { cloudHsmClusterId: store.tokenLabel } : {}) };
}
