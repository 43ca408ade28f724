// `custos key csr`, `custos key certificate set|get|self-signed|issue` and `custos trust add|list|delete|verify`,
// run in-process (buildProgram().parseAsync) against a real server: the README's flow (a root CA, an intermediate,
// a leaf, verified by openssl and by `custos trust verify`) and each error path by its code.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { CliError, UsageError } from '../../src/cli/errors.js';
import { custosAgainst } from '../helpers/cli-in-process.js';
import { openssl } from '../helpers/x509-outside.js';

describe('custos key certificate and custos trust, in-process', () => {
  let dir: string;
  let server: RunningServer;
  let admin: RemoteKms;
  let root: string;
  let inter: string;
  let leaf: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-certs-'));
    server = await startServer({ dataDir: join(dir, 'data'), listen: '127.0.0.1:0', logger: false });
    admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
    const create = async () =>
      (await admin.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    [root, inter, leaf] = [await create(), await create(), await create()];
  });
  afterAll(async () => {
    await admin?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `custos <args>` against the server; resolves to what it printed, rejects with its error. */
  const custos = custosAgainst(() => server);
  const codeOf = async (run: Promise<unknown>) => {
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    return (error as { code?: string } | undefined)?.code;
  };

  it('builds a root → intermediate → leaf hierarchy that openssl and custos trust verify accept', async () => {
    await custos(
      'key',
      'certificate',
      'self-signed',
      '--key',
      root,
      '--subject',
      'CN=CLI Root,O=Acme',
      '--days',
      '30',
      '--ca',
      '--out',
      file('root.pem'),
    );
    const added = JSON.parse(await custos('trust', 'add', '--in', file('root.pem'), '--domain', 'cli', '--json'));
    expect(added).toMatchObject({ subject: 'CN=CLI Root, O=Acme', domain: 'cli' });
    expect(added.certificate).toBeUndefined();
    expect(await custos('trust', 'add', '--in', file('root.pem'))).toMatch(/^domain +default$/m);

    await custos('key', 'csr', '--key', inter, '--subject', 'CN=CLI Intermediate', '--out', file('inter.csr'));
    expect(openssl('req', '-in', file('inter.csr'), '-noout', '-verify').status).toBe(0);
    await custos(
      'key',
      'certificate',
      'issue',
      '--key',
      root,
      '--csr',
      file('inter.csr'),
      '--days',
      '20',
      '--ca',
      '--path-length',
      '0',
      '--chain',
      '--out',
      file('inter-chain.pem'),
    );
    expect(
      await custos('key', 'certificate', 'set', '--key', inter, '--in', file('inter-chain.pem'), '--domain', 'cli'),
    ).toMatch(/^certificate set for .* \(sha256 [0-9a-f]{64}\)$/m);

    const csr = await custos(
      'key',
      'csr',
      '--key',
      leaf,
      '--subject',
      'CN=cli.acme.example',
      '--san',
      'DNS:cli.acme.example',
      '--algorithm',
      'ECDSA_SHA_256',
    );
    await writeFile(file('leaf.csr'), csr);
    const leafPem = await custos(
      'key',
      'certificate',
      'issue',
      '--key',
      inter,
      '--csr',
      file('leaf.csr'),
      '--days',
      '10',
    );
    await writeFile(file('leaf.pem'), leafPem);
    await writeFile(
      file('inter.pem'),
      (await readFile(file('inter-chain.pem'), 'utf8')).split(/(?<=-----END CERTIFICATE-----\n)/)[0]!,
    );
    const verified = openssl('verify', '-CAfile', file('root.pem'), '-untrusted', file('inter.pem'), file('leaf.pem'));
    expect(verified.stdout).toContain(': OK');

    await writeFile(file('leaf-chain.pem'), leafPem + (await readFile(file('inter-chain.pem'), 'utf8')));
    await custos('key', 'certificate', 'set', '--key', leaf, '--in', file('leaf-chain.pem'), '--domain', 'cli');
    expect(await custos('trust', 'verify', '--in', file('leaf-chain.pem'), '--domain', 'cli')).toBe(
      'chain valid: CN=cli.acme.example <- CN=CLI Intermediate <- CN=CLI Root, O=Acme\n',
    );
    const json = JSON.parse(
      await custos('trust', 'verify', '--in', file('leaf-chain.pem'), '--domain', 'cli', '--json'),
    );
    expect(json.valid).toBe(true);

    const got = await custos('key', 'certificate', 'get', '--key', leaf);
    expect(got).toBe(await readFile(file('leaf-chain.pem'), 'utf8'));
    await custos('key', 'certificate', 'get', '--key', leaf, '--out', file('got.pem'));
    expect(await readFile(file('got.pem'), 'utf8')).toBe(got);
    const gotJson = JSON.parse(await custos('key', 'certificate', 'get', '--key', leaf, '--json'));
    expect(gotJson.thumbprints.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(await custos('key', 'csr', '--key', leaf, '--subject', 'CN=j', '--json')).csr).toContain(
      'CERTIFICATE REQUEST',
    );
    expect(
      JSON.parse(
        await custos('key', 'certificate', 'issue', '--key', inter, '--csr', file('leaf.csr'), '--days', '1', '--json'),
      ).certificateChain,
    ).toHaveLength(3);
    expect(
      JSON.parse(
        await custos(
          'key',
          'certificate',
          'set',
          '--key',
          leaf,
          '--in',
          file('leaf-chain.pem'),
          '--domain',
          'cli',
          '--json',
        ),
      ).thumbprints.sha1,
    ).toMatch(/^[0-9a-f]{40}$/);
    const self = JSON.parse(
      await custos(
        'key',
        'certificate',
        'self-signed',
        '--key',
        leaf,
        '--subject',
        'CN=again',
        '--days',
        '1',
        '--san',
        'a.example',
        '--algorithm',
        'ECDSA_SHA_256',
        '--json',
      ),
    );
    expect(self.certificate).toContain('BEGIN CERTIFICATE');
  });

  it('trust list shows anchors (all, or one domain), delete removes one, verify fails after', async () => {
    const table = await custos('trust', 'list');
    expect(table.split('\n')[0]).toMatch(/^ID +DOMAIN +SUBJECT +NOT AFTER +SHA-256$/);
    const anchors = JSON.parse(await custos('trust', 'list', '--domain', 'cli', '--json')) as { id: string }[];
    expect(anchors).toHaveLength(1);
    expect(await custos('trust', 'delete', anchors[0]!.id)).toBe(`deleted trust anchor ${anchors[0]!.id}\n`);
    expect(JSON.parse(await custos('trust', 'list', '--domain', 'cli', '--json'))).toEqual([]);
    const error = await custos('trust', 'verify', '--in', file('leaf-chain.pem'), '--domain', 'cli').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('CERTIFICATE_NOT_TRUSTED');
    expect((error as CliError).message).toMatch(/^UNTRUSTED: /);
    expect(await codeOf(custos('trust', 'delete', anchors[0]!.id, '--json'))).toBe('NOT_FOUND');
  });

  it('error paths: unreadable or PEM-less files, several certificates for trust add, bad values, a non-CA issuer', async () => {
    expect(await codeOf(custos('trust', 'add', '--in', file('missing.pem')))).toBe('USAGE');
    await writeFile(file('empty.pem'), 'no pem here\n');
    const empty = await custos('trust', 'verify', '--in', file('empty.pem')).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(UsageError);
    expect(await codeOf(custos('trust', 'add', '--in', file('leaf-chain.pem')))).toBe('VALIDATION_ERROR');
    expect(
      await codeOf(custos('key', 'certificate', 'issue', '--key', leaf, '--csr', file('leaf.csr'), '--days', '1')),
    ).toBe('ISSUER_NOT_CA');
    expect(
      await codeOf(custos('key', 'certificate', 'issue', '--key', root, '--csr', file('nope.csr'), '--days', '1')),
    ).toBe('USAGE');
    expect(
      await codeOf(custos('key', 'certificate', 'self-signed', '--key', root, '--subject', 'CN=x', '--days', '0')),
    ).toBe('USAGE');
    expect(
      await codeOf(custos('key', 'certificate', 'get', '--key', (await admin.createKey({})).keyMetadata.keyId)),
    ).toBe('NOT_FOUND');
  });
});
