// `custos key jwk`, `custos jwks`, `custos jws sign|verify` and `custos jwt sign` in-process (buildProgram) against a
// real server: what they print is checked with jose (the README flow: a JWT verified from /.well-known/jwks.json),
// and each usage error and invalid JWS is refused with its code.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import type { Jwk } from '@custos/contract';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { CliError, UsageError } from '../../src/cli/errors.js';
import { custosAgainst } from '../helpers/cli-in-process.js';

describe('custos key jwk, jwks, jws and jwt, in-process', () => {
  let dir: string;
  let server: RunningServer;
  let admin: RemoteKms;
  let kid: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-jose-'));
    server = await startServer({
      dataDir: join(dir, 'data'),
      listen: '127.0.0.1:0',
      logger: false,
      kmsOptions: { maintenanceIntervalMs: 0 },
    });
    admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
    kid = (await admin.jwk.generateKeyPair('ES256')).kid;
    await admin.tagResource({ keyId: kid, tags: [{ tagKey: 'app', tagValue: 'orders' }] });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `custos <args>` against the server; resolves to what it printed, rejects with its error. */
  const custos = custosAgainst(() => server);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  it('key jwk prints the public JWK; --publish and --unpublish set what /.well-known/jwks.json shows', async () => {
    const jwk = JSON.parse(await custos('key', 'jwk', kid)) as Jwk;
    expect(jwk).toMatchObject({ kid, kty: 'EC', crv: 'P-256', alg: 'ES256', key_ops: ['verify'] });
    const published = async () =>
      ((await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Jwk[] }).keys.map((k) => k.kid);
    await custos('key', 'jwk', kid, '--publish');
    expect(await published()).toContain(kid);
    const out = join(dir, 'key.jwk');
    await custos('key', 'jwk', kid, '--unpublish', '--out', out);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ kid });
    expect(await published()).not.toContain(kid);
    expect(await failure(custos('key', 'jwk', kid, '--publish', '--unpublish'))).toBeInstanceOf(UsageError);
  });

  it('jwks prints the JWK Set, filtered by tag and tag value', async () => {
    const all = JSON.parse(await custos('jwks')) as { keys: Jwk[] };
    expect(all.keys.map((k) => k.kid)).toContain(kid);
    expect((JSON.parse(await custos('jwks', '--tag', 'app')) as { keys: Jwk[] }).keys.map((k) => k.kid)).toEqual([kid]);
    expect((JSON.parse(await custos('jwks', '--tag', 'app=orders')) as { keys: Jwk[] }).keys).toHaveLength(1);
    expect((JSON.parse(await custos('jwks', '--tag', 'app=billing')) as { keys: Jwk[] }).keys).toHaveLength(0);
  });

  it('key create --publish-jwk publishes the new key', async () => {
    const created = JSON.parse(
      await custos('key', 'create', '--spec', 'ECC_NIST_P256', '--usage', 'SIGN_VERIFY', '--publish-jwk', '--json'),
    ) as { keyId: string };
    const { keys } = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Jwk[] };
    expect(keys.map((k) => k.kid)).toContain(created.keyId);
  });

  it('jwt sign makes a JWT that jose verifies from /.well-known/jwks.json', async () => {
    await custos('key', 'jwk', kid, '--publish');
    const jwt = (
      await custos('jwt', 'sign', '--key', kid, '--claims', '{"sub":"alice"}', '--expires-in', '600')
    ).trim();
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(jwt, jwks);
    expect(payload).toMatchObject({ sub: 'alice' });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(protectedHeader).toEqual({ alg: 'ES256', kid, typ: 'JWT' });
    const claims = await file('claims.json', '{"aud":"orders"}');
    const out = join(dir, 'token.jwt');
    await custos('jwt', 'sign', '--key', kid, '--claims', `@${claims}`, '--out', out);
    expect((await jwtVerify((await readFile(out, 'utf8')).trim(), jwks)).payload.aud).toBe('orders');
  });

  it('jwt sign refuses claims that are not a JSON object, or a file it cannot read', async () => {
    for (const claims of ['not json', '[1,2]', 'null', `@${join(dir, 'missing.json')}`])
      expect(await failure(custos('jwt', 'sign', '--key', kid, '--claims', claims))).toBeInstanceOf(UsageError);
  });

  it('jws sign and verify: attached and detached, with a header; a tampered JWS exits with INVALID_SIGNATURE', async () => {
    const payload = await file('payload.txt', 'the payload');
    const jws = (await custos('jws', 'sign', '--key', kid, '--in', payload, '--header', '{"typ":"note"}')).trim();
    expect(decodeProtectedHeader(jws)).toEqual({ typ: 'note', alg: 'ES256', kid });
    const jwsFile = await file('note.jws', jws);
    expect(await custos('jws', 'verify', '--in', jwsFile)).toBe(`JWS valid (ES256, key ${kid})\n`);
    const json = JSON.parse(await custos('jws', 'verify', '--in', jwsFile, '--json')) as {
      valid: boolean;
      payload: string;
    };
    expect(json.valid).toBe(true);
    expect(Buffer.from(json.payload, 'base64url').toString()).toBe('the payload');

    const header = await file('header.json', '{"cty":"text"}');
    const detachedFile = join(dir, 'detached.jws');
    await custos(
      'jws',
      'sign',
      '--key',
      kid,
      '--in',
      payload,
      '--header',
      `@${header}`,
      '--detached',
      '--out',
      detachedFile,
    );
    expect((await readFile(detachedFile, 'utf8')).split('.')[1]).toBe('');
    expect(await custos('jws', 'verify', '--in', detachedFile, '--payload-file', payload)).toMatch(/^JWS valid/);
    const other = await file('other.txt', 'another payload');
    const refused = await failure(custos('jws', 'verify', '--in', detachedFile, '--payload-file', other));
    expect(refused).toBeInstanceOf(CliError);
    expect((refused as CliError).code).toBe('INVALID_SIGNATURE');

    const [h, p, s] = jws.split('.');
    const tampered = await file('tampered.jws', `${h}.${p}.${s!.slice(0, -2)}AA`);
    expect(((await failure(custos('jws', 'verify', '--in', tampered))) as CliError).code).toBe('INVALID_SIGNATURE');
  });

  it('jws sign refuses --x5c for a key without a certificate and a header that overrides alg', async () => {
    const payload = await file('p.txt', 'x');
    const noCert = await failure(custos('jws', 'sign', '--key', kid, '--in', payload, '--x5c'));
    expect((noCert as { code?: string }).code).toBe('VALIDATION_ERROR');
    const override = await failure(custos('jws', 'sign', '--key', kid, '--in', payload, '--header', '{"alg":"none"}'));
    expect((override as { code?: string }).code).toBe('VALIDATION_ERROR');
    await admin.createSelfSignedCertificate({ keyId: kid, subject: 'CN=cli', validityDays: 1 });
    const withChain = (await custos('jws', 'sign', '--key', kid, '--in', payload, '--x5c')).trim();
    expect(decodeProtectedHeader(withChain).x5c).toHaveLength(1);
  });
});
