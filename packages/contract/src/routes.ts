// The native REST API (/v1): one route per operation, resource-shaped. The server registers its routes from this
// table and RemoteKms builds its requests from it, so the two cannot disagree. Must not import anything but
// the operation table.
import type { OperationMethod } from './operations/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Route {
  readonly method: HttpMethod;
  /**
   * Path with `:field` parameters taken from the request's fields of the same name (URL-encoded: key ids,
   * aliases and ARNs contain `/` and `:`). GET and DELETE send the other fields as the query string; POST and
   * PUT send them as a JSON body.
   */
  readonly path: string;
}

const key = (suffix = ''): string => `/v1/keys/:keyId${suffix}`;

/** Every operation of the Kms interface, and where it lives on the REST API. */
export const ROUTES = {
  createKey: { method: 'POST', path: '/v1/keys' },
  listKeys: { method: 'GET', path: '/v1/keys' },
  describeKey: { method: 'GET', path: key() },
  updateKeyDescription: { method: 'PUT', path: key('/description') },
  enableKey: { method: 'POST', path: key('/enable') },
  disableKey: { method: 'POST', path: key('/disable') },
  scheduleKeyDeletion: { method: 'POST', path: key('/schedule-deletion') },
  cancelKeyDeletion: { method: 'POST', path: key('/cancel-deletion') },
  createAlias: { method: 'POST', path: '/v1/aliases' },
  updateAlias: { method: 'PUT', path: '/v1/aliases/:aliasName' },
  deleteAlias: { method: 'DELETE', path: '/v1/aliases/:aliasName' },
  listAliases: { method: 'GET', path: '/v1/aliases' },
  tagResource: { method: 'POST', path: key('/tags') },
  untagResource: { method: 'POST', path: key('/untag') },
  listResourceTags: { method: 'GET', path: key('/tags') },
  encrypt: { method: 'POST', path: key('/encrypt') },
  decrypt: { method: 'POST', path: '/v1/decrypt' },
  reEncrypt: { method: 'POST', path: '/v1/re-encrypt' },
  generateDataKey: { method: 'POST', path: key('/data-key') },
  generateDataKeyWithoutPlaintext: { method: 'POST', path: key('/data-key-without-plaintext') },
  generateDataKeyPair: { method: 'POST', path: key('/data-key-pair') },
  generateDataKeyPairWithoutPlaintext: { method: 'POST', path: key('/data-key-pair-without-plaintext') },
  generateRandom: { method: 'POST', path: '/v1/random' },
  sign: { method: 'POST', path: key('/sign') },
  verify: { method: 'POST', path: key('/verify') },
  getPublicKey: { method: 'GET', path: key('/public-key') },
  generateMac: { method: 'POST', path: key('/mac') },
  verifyMac: { method: 'POST', path: key('/verify-mac') },
  deriveSharedSecret: { method: 'POST', path: key('/shared-secret') },
  deriveKey: { method: 'POST', path: key('/derive') },
  enableKeyRotation: { method: 'POST', path: key('/rotation/enable') },
  disableKeyRotation: { method: 'POST', path: key('/rotation/disable') },
  getKeyRotationStatus: { method: 'GET', path: key('/rotation') },
  rotateKeyOnDemand: { method: 'POST', path: key('/rotate') },
  listKeyRotations: { method: 'GET', path: key('/rotations') },
  getParametersForImport: { method: 'POST', path: key('/import-parameters') },
  importKeyMaterial: { method: 'POST', path: key('/import') },
  deleteImportedKeyMaterial: { method: 'DELETE', path: key('/key-material') },
  getKeyPolicy: { method: 'GET', path: key('/policy') },
  putKeyPolicy: { method: 'PUT', path: key('/policy') },
  exportKey: { method: 'POST', path: key('/export') },
  updateKeyConstraints: { method: 'PUT', path: key('/constraints') },
  listAuditRecords: { method: 'GET', path: '/v1/audit' },
  verifyAuditChain: { method: 'GET', path: '/v1/audit/verify' },
  createToken: { method: 'POST', path: '/v1/tokens' },
  listTokens: { method: 'GET', path: '/v1/tokens' },
  revokeToken: { method: 'DELETE', path: '/v1/tokens/:tokenId' },
  createAccessKey: { method: 'POST', path: '/v1/access-keys' },
  listAccessKeys: { method: 'GET', path: '/v1/access-keys' },
  revokeAccessKey: { method: 'DELETE', path: '/v1/access-keys/:accessKeyId' },
} as const satisfies Record<OperationMethod, Route>;

/** The `:field` names of a route's path. */
export function pathParams(route: Route): string[] {
  return [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}
