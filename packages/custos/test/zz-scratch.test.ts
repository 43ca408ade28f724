import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto, generateKeyPairSync, sign as nsign } from 'node:crypto';
import { it } from 'vitest';
function provider(signFn: (data: Uint8Array) => Uint8Array, fmt: (alg: any, sig: Uint8Array) => ArrayBuffer) {
  const subtle = new Proxy(webcrypto.subtle, {
    get(t, p) {
      if (p === 'sign') return async (alg: any, key: any, data: ArrayBuffer) => fmt(alg, signFn(new Uint8Array(data)));
      const v = (t as any)[p]; return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  return { subtle, getRandomValues: webcrypto.getRandomValues.bind(webcrypto), randomUUID: webcrypto.randomUUID.bind(webcrypto) } as unknown as Crypto;
}
it("s", async () => { for (const [type, opts, alg, hash, nodeHash] of [
  ['ec', { namedCurve: 'P-384' }, { name: 'ECDSA', namedCurve: 'P-384' }, 'SHA-384', 'sha384'],
  ['ed25519', {}, { name: 'Ed25519' }, undefined, null],
  ['rsa', { modulusLength: 2048 }, { name: 'RSA-PSS', saltLength: 32 }, 'SHA-256', 'sha256'],
  ['rsa', { modulusLength: 2048 }, { name: 'RSASSA-PKCS1-v1_5' }, 'SHA-256', 'sha256'],
] as const) {
  const { privateKey, publicKey } = generateKeyPairSync(type as any, opts as any);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const signFn = (d: Uint8Array) => {
    if (alg.name === 'RSA-PSS') return nsign(nodeHash, d, { key: privateKey, padding: 6, saltLength: 32 });
    return nsign(nodeHash as any, d, privateKey);
  };
  const fmt = (a: any, sig: Uint8Array) => {
    if (a.name === 'ECDSA') return new x509.AsnEcSignatureFormatter().toWebSignature(a, sig) as ArrayBuffer;
    return sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength) as ArrayBuffer;
  };
  const crypto = provider(signFn, fmt);
  const signingKey = { algorithm: { ...alg, ...(hash ? { hash: { name: hash } } : {}) }, type: 'private', extractable: false, usages: ['sign'] } as unknown as CryptoKey;
  const pub = new x509.PublicKey(spki);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01', subject: 'CN=test, O=Acme', issuer: 'CN=test, O=Acme', notBefore: new Date(), notAfter: new Date(Date.now() + 864e5),
    publicKey: pub, signingKey, extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
  }, crypto);
  console.log(type, alg.name, await cert.verify({ signatureOnly: true }), cert.signatureAlgorithm);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys: { privateKey: signingKey, publicKey: await pub.export() }, signingAlgorithm: signingKey.algorithm }, crypto);
  console.log(' csr', await csr.verify());
}
}, 60000);
