// GetAttestationRoots (Custos): the trust anchors a verifier pins. Any authenticated caller with `read` (they are
// public certificates; the token only keeps the endpoint behind authentication like every other). Must not import api.
import { getAttestationRootsOperation } from '@custos/contract';
import { pemOf } from '../../core/certificates/x509.js';
import { attestationSetup, rootsOf } from '../attestation/chain.js';
import { defineOperation } from '../define-operation.js';

export const getAttestationRoots = defineOperation(
  getAttestationRootsOperation,
  { access: 'read', states: null },
  async (ctx) => {
    const { chain } = await attestationSetup(ctx);
    return { certificates: rootsOf(chain).map(pemOf) };
  },
);
