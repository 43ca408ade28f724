// The ceiling for `npm run bench`: a bare Fastify app doing the same cryptography as Custos's encrypt, decrypt,
// sign and generateDataKey with fixed in-memory keys — no auth, no store, no audit. Not part of the product.
import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

/** Builds the baseline app; JSON in and out with base64 bytes, as the REST API speaks. */
export function buildBaseline(): FastifyInstance {
  const app = Fastify({ logger: false });
  const key = randomBytes(32);
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

  const seal = (plaintext: Buffer) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, ct, cipher.getAuthTag()]);
  };

  app.post<{ Params: { keyId: string }; Body: { plaintext: string } }>('/v1/keys/:keyId/encrypt', async (req) => ({
    ciphertextBlob: seal(Buffer.from(req.body.plaintext, 'base64')).toString('base64'),
    keyId: req.params.keyId,
    encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  }));
  app.post<{ Body: { ciphertextBlob: string } }>('/v1/decrypt', async (req) => {
    const blob = Buffer.from(req.body.ciphertextBlob, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    const pt = Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]);
    return { plaintext: pt.toString('base64'), keyId: 'baseline', encryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  });
  app.post<{ Params: { keyId: string }; Body: { message: string } }>('/v1/keys/:keyId/sign', async (req) => ({
    signature: sign('sha256', Buffer.from(req.body.message, 'base64'), ec).toString('base64'),
    keyId: req.params.keyId,
    signingAlgorithm: 'ECDSA_SHA_256',
  }));
  app.post<{ Params: { keyId: string } }>('/v1/keys/:keyId/data-key', async (req) => {
    const dataKey = randomBytes(32);
    return {
      plaintext: dataKey.toString('base64'),
      ciphertextBlob: seal(dataKey).toString('base64'),
      keyId: req.params.keyId,
    };
  });
  // The blob the decrypt run sends: made here, under the baseline's key.
  app.get('/blob', async () => ({ ciphertextBlob: seal(randomBytes(1024)).toString('base64') }));
  return app;
}
