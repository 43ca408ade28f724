// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh key pair whose private key (PKCS#8 DER)
// is returned encrypted under a symmetric key (and in plaintext for the first).
import type {
  GenerateDataKeyPairRequest,
  GenerateDataKeyPairResponse,
  GenerateDataKeyPairWithoutPlaintextRequest,
  GenerateDataKeyPairWithoutPlaintextResponse,
} from '@custos/contract';
import { generateKeyMaterial } from '../../core/key-material.js';
import { keySpec } from '../../core/key-specs.js';
import { exposeSecret } from '../../core/secret-bytes.js';
import type { OpContext } from '../context.js';
import { encryptWithKey } from '../envelope.js';
import { keyArn } from '../key-ref.js';
import { checkUse, loadKey } from '../keys.js';
import { refuseUnsupported } from '../rules.js';

async function makePair(
  ctx: OpContext,
  input: GenerateDataKeyPairRequest,
  operation: 'GenerateDataKeyPair' | 'GenerateDataKeyPairWithoutPlaintext',
) {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId, operation);
  // Refuse before the (possibly slow, RSA) generation, not after it.
  checkUse(ctx, key, 'ENCRYPT_DECRYPT', 'SYMMETRIC_DEFAULT', true);
  const pair = await generateKeyMaterial(keySpec(input.keyPairSpec));
  try {
    const privateKeyPlaintext = new Uint8Array(exposeSecret(pair.material));
    const privateKeyCiphertextBlob = await encryptWithKey(
      ctx,
      key,
      privateKeyPlaintext,
      input.encryptionContext,
      'SYMMETRIC_DEFAULT',
    );
    return {
      keyId: keyArn(ctx.config, key.id),
      keyPairSpec: input.keyPairSpec,
      publicKey: pair.publicKey!,
      privateKeyCiphertextBlob,
      privateKeyPlaintext,
    };
  } finally {
    pair.material.wipe();
  }
}

export async function generateDataKeyPair(
  ctx: OpContext,
  input: GenerateDataKeyPairRequest,
): Promise<GenerateDataKeyPairResponse> {
  return makePair(ctx, input, 'GenerateDataKeyPair');
}

export async function generateDataKeyPairWithoutPlaintext(
  ctx: OpContext,
  input: GenerateDataKeyPairWithoutPlaintextRequest,
): Promise<GenerateDataKeyPairWithoutPlaintextResponse> {
  const { privateKeyPlaintext, ...rest } = await makePair(ctx, input, 'GenerateDataKeyPairWithoutPlaintext');
  privateKeyPlaintext.fill(0);
  return rest;
}
