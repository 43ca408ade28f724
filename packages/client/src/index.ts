// @custos/client: RemoteKms (the Kms interface over HTTP) and the shared contract (types, schemas, errors).
// Must not import anything but @custos/contract and its own modules: no native dependency, fetch only.
export * from '@custos/contract';
export { RemoteKms, type RemoteKmsOptions } from './remote-kms.js';
export { SAFE_TO_REPEAT } from './retry.js';
