// CreateCustomKeyStore (AWS KMS): a custom key store on a PKCS#11 token of the server's configured module; the PIN is
// stored wrapped by the root of trust, bound to the store's id. It starts DISCONNECTED. Must not import api.
import { createCustomKeyStoreOperation, UnsupportedError, ValidationError } from '@custos/contract';
import { SecretBytes } from '../../core/secret-bytes.js';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { checkTrustAnchor, newKeyStoreId } from '../hsm/key-store-records.js';
import { keyStorePinAad } from '../hsm/key-stores.js';

export const createCustomKeyStore = defineOperation(
  createCustomKeyStoreOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    if (input.customKeyStoreType === 'EXTERNAL_KEY_STORE')
      throw new UnsupportedError('external key stores (EXTERNAL_KEY_STORE) are not supported by Custos');
    ctx.keyStores.requireModule();
    const { cloudHsmClusterId: tokenLabel, keyStorePassword: pin, trustAnchorCertificate } = input;
    if (tokenLabel === undefined || pin === undefined || trustAnchorCertificate === undefined)
      throw new ValidationError(
        'an AWS_CLOUDHSM key store needs CloudHsmClusterId (the token label), KeyStorePassword (its PIN) and TrustAnchorCertificate',
      );
    const trustAnchor = checkTrustAnchor(trustAnchorCertificate);
    const id = newKeyStoreId();
    const secret = SecretBytes.from(new TextEncoder().encode(pin));
    let wrappedPin: Uint8Array;
    try {
      wrappedPin = await ctx.rootOfTrust.wrap(secret, keyStorePinAad(id));
    } finally {
      secret.wipe();
    }
    ctx.audit.details = {
      customKeyStoreId: id,
      customKeyStoreName: input.customKeyStoreName,
      cloudHsmClusterId: tokenLabel,
    };
    await ctx.transaction((tx) =>
      repo.customKeyStores.insert(tx, {
        id,
        name: input.customKeyStoreName,
        tokenLabel,
        wrappedPin,
        trustAnchor,
        connectionState: 'DISCONNECTED',
        connectionErrorCode: null,
        createdAt: ctx.now(),
      }),
    );
    return { customKeyStoreId: id };
  },
);
