// The custos package: LocalKms and the shared contract (types, schemas, errors).
export * from '@custos/contract';
export { LocalKms, LOCAL_ADMIN, type KeyCacheStatus, type LocalKmsOptions } from './service/local-kms.js';
export type { MaintenanceReport } from './service/jobs/maintenance.js';
export type { ServiceConfig, Logger } from './service/context.js';
export { wrapForImport } from './core/algorithms/rsa.js';
export type { StoreOptions } from './store/index.js';
