// GetKeyCertificate (Custos): the key's certificate chain and its leaf's thumbprints.
// Must not import api.
import { NotFoundError, getKeyCertificateOperation } from '@custos/contract';
import { parseCertificate, thumbprints } from '../../core/certificates/x509.js';
import { certificateChainOf } from '../certificates.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { ANY } from '../lifecycle.js';

export const getKeyCertificate = defineOperation(
  getKeyCertificateOperation,
  { access: 'read', states: ANY },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const chain = await certificateChainOf(ctx, key.id);
    if (!chain?.[0]) throw new NotFoundError(`key ${key.id} has no certificate`);
    return {
      keyId: keyArn(ctx.config, key.id),
      certificateChain: [...chain],
      thumbprints: thumbprints(parseCertificate(chain[0], 'the stored certificate')),
    };
  },
);
