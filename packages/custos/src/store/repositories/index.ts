// The repositories, one namespace per aggregate: `keys.insert(tx, record)`, `audit.list(db, query)`.
// Must not import service or api.
export * as keys from './keys.js';
export * as keyListing from './key-listing.js';
export * as keyVersions from './key-versions.js';
export * as aliases from './aliases.js';
export * as tags from './tags.js';
export * as importTokens from './import-tokens.js';
export * as audit from './audit.js';
export * as meta from './meta.js';
export * as tokens from './tokens.js';
export * as accessKeys from './access-keys.js';
export * as integrity from './integrity.js';
export * as requestReplays from './request-replays.js';
export * as rootRewrap from './root-rewrap.js';
export * as keyCertificates from './key-certificates.js';
export * as trustedCertificates from './trusted-certificates.js';
export * as customKeyStores from './custom-key-stores.js';
export * as attestationIdentity from './attestation-identity.js';
export * as keyringPolicies from './keyring-policies.js';
export * as keyringKeys from './keyring-keys.js';
export * as grants from './grants.js';
export * as keyPins from './key-pins.js';
export * as keyUsage from './key-usage.js';
export * as keyChanges from './key-changes.js';
