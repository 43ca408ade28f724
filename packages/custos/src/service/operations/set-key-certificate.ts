// SetKeyCertificate (Custos): stores a key's certificate chain once its leaf is shown to certify the key and the
// chain to verify (a lone self-signed certificate needs no anchor). Must not import api.
import { setKeyCertificateOperation } from '@custos/contract';
import { parseChain, pemOf, thumbprints } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import { DEFAULT_TRUST_DOMAIN, checkKeyChain, latestPublicKey } from '../certificates.js';
import { defineOperation } from '../define-operation.js';
import { loadKey, lockKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { WITH_MATERIAL } from '../lifecycle.js';

export const setKeyCertificate = defineOperation(
  setKeyCertificateOperation,
  { access: 'manage', states: WITH_MATERIAL },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const publicKey = await latestPublicKey(ctx, key);
    const chain = parseChain(input.certificateChain);
    const domain = input.domain ?? DEFAULT_TRUST_DOMAIN;
    const leaf = await checkKeyChain(ctx, chain, publicKey, domain);
    const prints = thumbprints(leaf);
    ctx.audit.keyVersion = key.latestVersion;
    ctx.audit.details = { subject: leaf.subject, thumbprint: prints.sha256, domain };
    await ctx.transaction(async (tx) => {
      await lockKey(tx, key.id); // writers of one key's certificate take turns
      await repo.keyCertificates.put(
        tx,
        { keyId: key.id, keyVersion: key.latestVersion, chain: chain.map(pemOf) },
        ctx.now(),
      );
    });
    return { keyId: keyArn(ctx.config, key.id), thumbprints: prints };
  },
);
