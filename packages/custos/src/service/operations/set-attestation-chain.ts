// SetAttestationChain (Custos): replaces the attestation identity's chain with one issued by an operator's CA. The
// leaf must certify the attestation key and be a CA certificate (it issues attestation certificates); the chain
// must end at a self-signed root and verify to it now. Admin only (`tokens`). Must not import api.
import { setAttestationChainOperation, ValidationError } from '@custos/contract';
import { caRightsProblem, verifyChain } from '../../core/certificates/path.js';
import { parseChain, pemOf, samePublicKey, spkiOf } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import { rootsOf } from '../attestation/chain.js';
import { attestationIdentity } from '../attestation/identity.js';
import { defineOperation } from '../define-operation.js';

const notTrusted = (detail: string): ValidationError =>
  new ValidationError(`the attestation chain does not verify: ${detail}`, 'CERTIFICATE_NOT_TRUSTED');

export const setAttestationChain = defineOperation(
  setAttestationChainOperation,
  { access: 'tokens', states: null },
  async (ctx, input) => {
    const identity = await attestationIdentity(ctx);
    const chain = parseChain(input.certificateChain);
    const [leaf] = chain;
    const root = chain.at(-1);
    if (!leaf || !root) throw new ValidationError('the chain is empty', 'INVALID_CERTIFICATE');
    if (!samePublicKey(spkiOf(leaf), identity.publicKey))
      throw new ValidationError("the chain's leaf does not certify the attestation key", 'CERTIFICATE_KEY_MISMATCH');
    if (!(await root.isSelfSigned())) throw notTrusted(`it ends at ${root.subject}, which is not self-signed`);
    const verdict = await verifyChain(chain, rootsOf(chain), ctx.now());
    if (!verdict.valid) throw notTrusted(verdict.detail ?? 'unknown reason');
    // The path checks test CA rights of issuers only; the leaf issues attestation certificates, so it needs them too.
    const problem = caRightsProblem(leaf);
    if (problem) throw notTrusted(`${problem}: it cannot issue attestation certificates`);
    const pems = chain.map(pemOf);
    ctx.audit.details = { subject: leaf.subject, root: root.subject };
    await ctx.transaction(async (tx) => {
      await repo.attestationIdentity.put(tx, { publicKey: identity.publicKey, chain: pems }, ctx.now(), true);
    });
    return { certificateChain: pems, roots: rootsOf(chain).map(pemOf) };
  },
);
