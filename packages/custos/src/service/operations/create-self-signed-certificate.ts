// CreateSelfSignedCertificate (Custos): a self-signed certificate of the key, signed by it here, stored as its
// certificate (a CA root when isCa). Must not import api.
import { ValidationError, createSelfSignedCertificateOperation } from '@custos/contract';
import { createCertificate } from '../../core/certificates/issue.js';
import { subjectAltNameExtension } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import { keySigner, madeCertificate } from '../certificates.js';
import { defineOperation } from '../define-operation.js';
import { loadKey, lockKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';

/** It replaces what the key's certificate says to relying parties: a management right, like SetKeyCertificate. */
export const createSelfSignedCertificate = defineOperation(
  createSelfSignedCertificateOperation,
  { access: 'manage', states: USABLE },
  async (ctx, input) => {
    const isCa = input.isCa ?? false;
    if (input.pathLength !== undefined && !isCa)
      throw new ValidationError('pathLength is only for a CA certificate (isCa)');
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const subjectAltName = input.subjectAltNames?.length ? subjectAltNameExtension(input.subjectAltNames) : undefined;
    const signer = await keySigner(ctx, key, input.signingAlgorithm);
    const certificate = await createCertificate(
      { certificate: null, signer },
      {
        publicKey: signer.publicKey,
        subject: input.subject,
        validityDays: input.validityDays,
        isCa,
        pathLength: input.pathLength,
        subjectAltName,
        now: ctx.now(),
      },
    );
    const { pem, prints } = madeCertificate(ctx, certificate, isCa);
    await ctx.transaction(async (tx) => {
      await lockKey(tx, key.id); // writers of one key's certificate take turns
      await repo.keyCertificates.put(tx, { keyId: key.id, keyVersion: key.latestVersion, chain: [pem] }, ctx.now());
    });
    return { keyId: keyArn(ctx.config, key.id), certificate: pem, thumbprints: prints };
  },
);
