export * from './errors.js';
export * from './names.js';
export * from './caller.js';
export * from './schemas/common.js';
export * from './operations/index.js';
export type * from './kms.js';
export * from './wire.js';
export * from './routes.js';
export { contractOperation, operationTable, type ContractOperation } from './operation.js';
