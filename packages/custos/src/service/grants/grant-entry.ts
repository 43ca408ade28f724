// A stored grant as ListGrants and ListRetirableGrants show it (AWS GrantListEntry). Must not import api or store.
import type { GrantListEntry, GrantOperation } from '@custos/contract';
import type { GrantRecord } from '../../store/types.js';
import type { ServiceConfig } from '../context.js';
import { keyArn } from '../key-ref.js';
import { accountRootArn } from './principals.js';

export function grantListEntry(config: ServiceConfig, grant: GrantRecord): GrantListEntry {
  return {
    keyId: keyArn(config, grant.keyId),
    grantId: grant.id,
    ...(grant.name !== null ? { name: grant.name } : {}),
    creationDate: grant.createdAt,
    granteePrincipal: grant.granteePrincipal,
    ...(grant.retiringPrincipal !== null ? { retiringPrincipal: grant.retiringPrincipal } : {}),
    issuingAccount: accountRootArn(config),
    operations: grant.operations as GrantOperation[],
    ...(grant.constraints !== null ? { constraints: grant.constraints } : {}),
  };
}
