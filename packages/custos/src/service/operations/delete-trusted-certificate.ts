// DeleteTrustedCertificate (Custos): unpins a trust anchor; NOT_FOUND for an unknown id.
// Must not import api.
import { NotFoundError, deleteTrustedCertificateOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';

export const deleteTrustedCertificate = defineOperation(
  deleteTrustedCertificateOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    ctx.audit.details = { id: input.id };
    await ctx.transaction(async (tx) => {
      if (!(await repo.trustedCertificates.remove(tx, input.id)))
        throw new NotFoundError(`trusted certificate not found: ${input.id}`);
    });
    return {};
  },
);
