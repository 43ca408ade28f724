// @custos/client: RemoteKms and the shared contract (types, schemas, errors).
export * from '@custos/contract';
