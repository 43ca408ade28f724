// Key attestation end to end against a real server (file root), the CLI in-process: `custos key attest`, `custos
// attestation roots|verify`, `custos operator attestation csr|set-chain`, checked by openssl; every refusal: a
// challenge too short or too long, another challenge, each attested field tampered (bytes flipped, or re-encoded and
// re-signed by a foreign key), a chain to an unpinned root, a tampered JWS, set-chain for another key or unverifiable.
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { CliError } from '../../src/cli/errors.js';
import { custosAgainst } from '../helpers/cli-in-process.js';
import {
  ATTESTATION_EXTENSION_OID,
  decodeProperties,
  encodeProperties,
} from '../../src/core/attestation/properties.js';
import type { AttestedProperties } from '../../src/core/attestation/properties.js';
import { extensionValue } from '../../src/core/attestation/oid.js';
import { splitPem } from '../../src/core/attestation/verify.js';
import { x509 } from '../../src/core/certificates/x509.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { openssl } from '../helpers/x509-outside.js';

const CHALLENGE = '00112233445566778899aabbccddeeff0011';

describe('key attestation, in-process CLI against a real server', () => {
  let dir: string;
  let server: RunningServer;
  let admin: RemoteKms;
  let signKey: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-attest-'));
    server = await startServer({ dataDir: join(dir, 'data'), listen: '127.0.0.1:0', logger: false });
    admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
    signKey = (await admin.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', description: 'attested' }))
      .keyMetadata.keyId;
    await admin.updateKeyConstraints({ keyId: signKey, maxUses: 5 });
    await custos('attestation', 'roots', '--out', file('roots.pem'));
  });
  afterAll(async () => {
    await admin?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `custos <args>` against the server; resolves to what it printed, rejects with its error. */
  const custos = custosAgainst(() => server);
  const failure = async (run: Promise<unknown>): Promise<{ code?: string; message?: string }> =>
    run.then(
      () => ({}),
      (e: unknown) => e as { code?: string; message?: string },
    );
  const verify = (chain: string, roots = file('roots.pem'), challenge = CHALLENGE) =>
    custos('attestation', 'verify', '--chain', chain, '--roots', roots, '--challenge', challenge, '--json');

  it('attests a key pair: openssl verifies the chain to the pinned root, custos attestation verify prints the properties', async () => {
    await custos('key', 'attest', '--key', signKey, '--challenge', CHALLENGE, '--out', file('chain.pem'));
    const pems = splitPem(await readFile(file('chain.pem'), 'utf8'));
    expect(pems).toHaveLength(2); // the key's certificate, then the identity's self-signed root
    await writeFile(file('leaf.pem'), pems[0]!);
    const checked = openssl('verify', '-CAfile', file('roots.pem'), file('leaf.pem'));
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toContain('leaf.pem: OK');
    const verdict = JSON.parse(await verify(file('chain.pem')));
    expect(verdict).toMatchObject({
      valid: true,
      format: 'X509',
      properties: {
        version: 1,
        challenge: CHALLENGE,
        keyId: signKey,
        keySpec: 'ECC_NIST_P256',
        keyUsage: 'SIGN_VERIFY',
        origin: 'GENERATED',
        protectionLevel: 'SOFTWARE',
        exportable: false,
        keyState: 'Enabled',
        constraints: { maxUses: 5 },
      },
    });
    // The leaf certifies the key's own public key.
    const { publicKey } = await admin.getPublicKey({ keyId: signKey });
    const leaf = new x509.X509Certificate(pems[0]!);
    expect(Buffer.from(leaf.publicKey.rawData).equals(Buffer.from(publicKey))).toBe(true);
    const human = await custos(
      'attestation',
      'verify',
      '--chain',
      file('chain.pem'),
      '--roots',
      file('roots.pem'),
      '--challenge',
      CHALLENGE,
    );
    expect(human).toMatch(/^attestation verified \(X509\)$/m);
    expect(human).toMatch(/^origin: GENERATED$/m);
  });

  it('encodes the extension OID in full (2.25.<UUID>), as openssl asn1parse decodes it', async () => {
    const leafPem = splitPem(await readFile(file('chain.pem'), 'utf8'))[0]!;
    await writeFile(file('leaf.pem'), leafPem);
    const parsed = openssl('asn1parse', '-in', file('leaf.pem'));
    expect(parsed.stdout).toContain(`OBJECT            :${ATTESTATION_EXTENSION_OID}`);
    const text = openssl('x509', '-in', file('leaf.pem'), '-noout', '-text').stdout;
    expect(text).toContain('Digital Signature');
    expect(text).toContain(ATTESTATION_EXTENSION_OID);
  });

  it('gives key-agreement and encryption keys the matching keyUsage', async () => {
    for (const [keySpec, keyUsage, shown] of [
      ['ECC_NIST_P256', 'KEY_AGREEMENT', 'Key Agreement'],
      ['RSA_2048', 'ENCRYPT_DECRYPT', 'Key Encipherment'],
    ] as const) {
      const keyId = (await admin.createKey({ keySpec, keyUsage })).keyMetadata.keyId;
      await custos('key', 'attest', '--key', keyId, '--challenge', CHALLENGE, '--out', file('other.pem'));
      const leaf = splitPem(await readFile(file('other.pem'), 'utf8'))[0]!;
      await writeFile(file('other-leaf.pem'), leaf);
      expect(openssl('x509', '-in', file('other-leaf.pem'), '-noout', '-text').stdout).toContain(shown);
      expect(JSON.parse(await verify(file('other.pem'))).properties).toMatchObject({ keySpec, keyUsage });
    }
  });

  it('refuses another challenge, and a challenge too short or too long at the API', async () => {
    const other = await failure(verify(file('chain.pem'), file('roots.pem'), 'ff'.repeat(18)));
    expect(other).toBeInstanceOf(CliError);
    expect(other).toMatchObject({
      code: 'ATTESTATION_INVALID',
      message: 'the attestation was made for another challenge',
    });
    await expectKmsError(admin.attestKey({ keyId: signKey, challenge: new Uint8Array(15) }), 'VALIDATION_ERROR');
    await expectKmsError(admin.attestKey({ keyId: signKey, challenge: new Uint8Array(129) }), 'VALIDATION_ERROR');
    await admin.attestKey({ keyId: signKey, challenge: new Uint8Array(16) });
    await admin.attestKey({ keyId: signKey, challenge: new Uint8Array(128) });
  });

  /** Each attested field with a same-length change (so a byte splice keeps the DER well formed). */
  const TAMPER: Record<string, (p: AttestedProperties) => AttestedProperties> = {
    challenge: (p) => ({ ...p, challenge: `ff${p.challenge.slice(2)}` }),
    keyId: (p) => ({ ...p, keyId: `${p.keyId.slice(0, -1)}${p.keyId.endsWith('0') ? '1' : '0'}` }),
    keySpec: (p) => ({ ...p, keySpec: 'ECC_NIST_P384' }),
    keyUsage: (p) => ({ ...p, keyUsage: 'SIGN_VERIFZ' }),
    origin: (p) => ({ ...p, origin: 'IMPORTED' }),
    protectionLevel: (p) => ({ ...p, protectionLevel: 'HSM' }),
    exportable: (p) => ({ ...p, exportable: true }),
    creationTime: (p) => ({ ...p, creationTime: '2001-01-01T00:00:00.000Z' }),
    keyState: (p) => ({ ...p, keyState: 'Enablex' }),
    constraints: (p) => ({ ...p, constraints: { ...p.constraints, maxUses: 6 } }),
  };

  for (const [field, change] of Object.entries(TAMPER)) {
    it(`refuses the attestation with its ${field} changed: bytes flipped in place, or re-encoded and re-signed by a foreign key`, async () => {
      const pems = splitPem(await readFile(file('chain.pem'), 'utf8'));
      const leaf = new x509.X509Certificate(pems[0]!);
      const original = extensionValue(leaf, ATTESTATION_EXTENSION_OID)!;
      const changed = encodeProperties(change(decodeProperties(original)));
      const der = Buffer.from(leaf.rawData);
      expect(changed.length).toBe(original.length); // every change keeps the length: the DER stays well formed
      // 1. Spliced into the signed certificate: the issuer's signature no longer verifies.
      const spliced = Buffer.from(der);
      Buffer.from(changed).copy(spliced, der.indexOf(Buffer.from(original)));
      await writeFile(file('tampered.pem'), [x509.PemConverter.encode(spliced, 'CERTIFICATE'), pems[1]!].join('\n'));
      expect(await failure(verify(file('tampered.pem')))).toMatchObject({ code: 'ATTESTATION_INVALID' });
      // 2. The changed TBS signed by a key of our own (a DER signature of the same length, swapped in at the end).
      const tbsEnd = 8 + der.readUInt16BE(6); // Certificate and TBSCertificate both have 2-byte lengths here
      const forgedTbs = spliced.subarray(4, tbsEnd);
      const sigLength = [72, 71, 70, 69, 68].find(
        (n) => der[der.length - n - 3] === 0x03 && der[der.length - n - 2] === n + 1 && der[der.length - n - 1] === 0,
      )!;
      const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      let signature: Buffer;
      do signature = sign('sha256', forgedTbs, foreign);
      while (signature.length !== sigLength);
      const forged = Buffer.concat([spliced.subarray(0, der.length - sigLength), signature]);
      const forgedPem = x509.PemConverter.encode(forged, 'CERTIFICATE');
      await writeFile(file('forged.pem'), [forgedPem, pems[1]!].join('\n'));
      expect(await failure(verify(file('forged.pem')))).toMatchObject({ code: 'ATTESTATION_INVALID' });
    });
  }

  it('refuses a chain to a root that is not pinned', async () => {
    const other = openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      file('other.key'),
      '-subj',
      '/CN=Custos attestation root',
      '-days',
      '2',
      '-out',
      file('other-root.pem'),
    );
    expect(other.status).toBe(0);
    const refused = await failure(verify(file('chain.pem'), file('other-root.pem')));
    expect(refused).toMatchObject({ code: 'ATTESTATION_INVALID' });
    expect(refused.message).toMatch(/does not verify to a pinned root/);
  });

  it('attests a symmetric key with a JWS (x5c chain, nothing of the key bytes), and refuses it tampered', async () => {
    const keyId = (await admin.createKey({})).keyMetadata.keyId;
    const result = await admin.attestKey({ keyId, challenge: Buffer.from(CHALLENGE, 'hex') });
    expect(result.format).toBe('JWS');
    await custos('key', 'attest', '--key', keyId, '--challenge', CHALLENGE, '--out', file('aes.jws'));
    const verdict = JSON.parse(await verify(file('aes.jws')));
    expect(verdict).toMatchObject({
      valid: true,
      format: 'JWS',
      properties: { keyId, keySpec: 'SYMMETRIC_DEFAULT', origin: 'GENERATED', challenge: CHALLENGE },
    });
    const [header, payload, signature] = (await readFile(file('aes.jws'), 'utf8')).trim().split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    expect(Object.keys(claims).sort()).toEqual([
      'challenge',
      'constraints',
      'creationTime',
      'exportable',
      'keyId',
      'keySpec',
      'keyState',
      'keyUsage',
      'origin',
      'protectionLevel',
      'version',
    ]);
    const tampered = Buffer.from(JSON.stringify({ ...claims, exportable: true })).toString('base64url');
    await writeFile(file('aes-tampered.jws'), `${header}.${tampered}.${signature}`);
    expect(await failure(verify(file('aes-tampered.jws')))).toMatchObject({ code: 'ATTESTATION_INVALID' });
    const flipped = `${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'AB' : 'AA'}`;
    await writeFile(file('aes-flipped.jws'), `${header}.${payload}.${flipped}`);
    expect(await failure(verify(file('aes-flipped.jws')))).toMatchObject({ code: 'ATTESTATION_INVALID' });
    expect(await failure(verify(file('aes.jws'), file('other-root.pem')))).toMatchObject({
      code: 'ATTESTATION_INVALID',
    });
  });

  it('takes a chain from an operator CA made with openssl (csr, set-chain), refusing a leaf for another key and a chain that does not verify', async () => {
    const ok = (r: { status: number | null; stderr: string }) => {
      expect(r.status, r.stderr).toBe(0);
    };
    ok(
      openssl(
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        file('ca.key'),
        '-subj',
        '/CN=Operator CA/O=Acme',
        '-days',
        '30',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
        '-out',
        file('ca.pem'),
      ),
    );
    await writeFile(
      file('ext.cnf'),
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,digitalSignature\n',
    );
    await custos('operator', 'attestation', 'csr', '--out', file('att.csr'));
    const issue = (csr: string, out: string, ca = 'ca') => {
      ok(
        openssl(
          'x509',
          '-req',
          '-in',
          csr,
          '-CA',
          file(`${ca}.pem`),
          '-CAkey',
          file(`${ca}.key`),
          '-CAcreateserial',
          '-days',
          '10',
          '-extfile',
          file('ext.cnf'),
          '-out',
          out,
        ),
      );
    };
    issue(file('att.csr'), file('att.pem'));

    // Refused: a leaf certifying another key (an openssl CSR of a fresh key).
    ok(
      openssl(
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        file('x.key'),
        '-subj',
        '/CN=someone else',
        '-out',
        file('x.csr'),
      ),
    );
    issue(file('x.csr'), file('x.pem'));
    await writeFile(
      file('wrong-key.pem'),
      (await readFile(file('x.pem'), 'utf8')) + (await readFile(file('ca.pem'), 'utf8')),
    );
    expect(await failure(custos('operator', 'attestation', 'set-chain', '--in', file('wrong-key.pem')))).toMatchObject({
      code: 'CERTIFICATE_KEY_MISMATCH',
    });
    // Refused: the attestation key's certificate with a root that did not issue it.
    await writeFile(
      file('bad-chain.pem'),
      (await readFile(file('att.pem'), 'utf8')) + (await readFile(file('other-root.pem'), 'utf8')),
    );
    expect(await failure(custos('operator', 'attestation', 'set-chain', '--in', file('bad-chain.pem')))).toMatchObject({
      code: 'CERTIFICATE_NOT_TRUSTED',
    });
    // Refused: a leaf without CA rights cannot issue attestation certificates.
    await writeFile(file('leaf.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
    ok(
      openssl(
        'x509',
        '-req',
        '-in',
        file('att.csr'),
        '-CA',
        file('ca.pem'),
        '-CAkey',
        file('ca.key'),
        '-CAcreateserial',
        '-days',
        '10',
        '-extfile',
        file('leaf.cnf'),
        '-out',
        file('att-noca.pem'),
      ),
    );
    await writeFile(
      file('noca-chain.pem'),
      (await readFile(file('att-noca.pem'), 'utf8')) + (await readFile(file('ca.pem'), 'utf8')),
    );
    expect(await failure(custos('operator', 'attestation', 'set-chain', '--in', file('noca-chain.pem')))).toMatchObject(
      {
        code: 'CERTIFICATE_NOT_TRUSTED',
      },
    );
    // Nothing changed: the default root is still served.
    expect(await custos('attestation', 'roots')).toBe(await readFile(file('roots.pem'), 'utf8'));

    await writeFile(
      file('op-chain.pem'),
      (await readFile(file('att.pem'), 'utf8')) + (await readFile(file('ca.pem'), 'utf8')),
    );
    expect(await custos('operator', 'attestation', 'set-chain', '--in', file('op-chain.pem'))).toMatch(/chain set \(2/);
    await custos('attestation', 'roots', '--out', file('op-roots.pem'));
    expect(new x509.X509Certificate(await readFile(file('op-roots.pem'), 'utf8')).subject).toBe(
      'CN=Operator CA, O=Acme',
    );

    await custos('key', 'attest', '--key', signKey, '--challenge', CHALLENGE, '--out', file('op-attest.pem'));
    const pems = splitPem(await readFile(file('op-attest.pem'), 'utf8'));
    expect(pems).toHaveLength(3);
    await writeFile(file('op-leaf.pem'), pems[0]!);
    await writeFile(file('op-inter.pem'), pems[1]!);
    const checked = openssl(
      'verify',
      '-CAfile',
      file('op-roots.pem'),
      '-untrusted',
      file('op-inter.pem'),
      file('op-leaf.pem'),
    );
    expect(checked.stdout, checked.stderr).toContain('op-leaf.pem: OK');
    expect(JSON.parse(await verify(file('op-attest.pem'), file('op-roots.pem'))).valid).toBe(true);
    // The old default root is no longer the anchor of new attestations.
    expect(await failure(verify(file('op-attest.pem')))).toMatchObject({ code: 'ATTESTATION_INVALID' });
  });
});
