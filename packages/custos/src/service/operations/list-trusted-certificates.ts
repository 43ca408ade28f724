// ListTrustedCertificates (Custos): the trust anchors, of one domain or all, oldest first, paged.
// Must not import api.
import { listTrustedCertificatesOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { pageResponse } from '../paging.js';
import { trustedCertificateOf } from '../trust-records.js';

export const listTrustedCertificates = defineOperation(
  listTrustedCertificatesOperation,
  { access: 'read', states: null },
  async (ctx, input) => {
    const page = await repo.trustedCertificates.list(ctx.store.db, {
      limit: input.limit ?? 100,
      domain: input.domain,
      ...(input.marker ? { after: input.marker } : {}),
    });
    return { certificates: page.items.map(trustedCertificateOf), ...pageResponse(page) };
  },
);
