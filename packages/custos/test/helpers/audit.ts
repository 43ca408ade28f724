// The audit chain key tests chain under (a fixed 32-byte value): what `deriveKey('audit-chain')` gives the service.
// Must not import api.

/** A fixed audit-chain HMAC key for tests that append to or verify the log directly. */
export const TEST_CHAIN_KEY = new Uint8Array(32).fill(7);

/** `ServiceContext.chainKey`'s shape, for sinks built in tests. */
export const testChainKey = (): Promise<Uint8Array> => Promise.resolve(TEST_CHAIN_KEY);
