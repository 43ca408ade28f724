// startServer: the first admin token (admin.token, mode 0600, created once), a real listen on port 0, HTTPS and
// mutual TLS (certificates made by the openssl CLI), graceful close that drains in-flight requests, signal handlers.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  installSignalHandlers,
  parseListen,
  startServer,
  type RunningServer,
  type ServerOptions,
} from '../../src/api/server.js';

const dirs: string[] = [];
async function tempDir(prefix = 'custos-server-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const base = (dataDir: string, more: Partial<ServerOptions> = {}): ServerOptions => ({
  dataDir,
  listen: '127.0.0.1:0',
  logger: false,
  kmsOptions: { maintenanceIntervalMs: 0 },
  ...more,
});

describe('startServer', () => {
  const running: RunningServer[] = [];
  afterEach(async () => {
    for (const server of running.splice(0)) await server.close();
  });
  const start = async (options: ServerOptions) => {
    const server = await startServer(options);
    running.push(server);
    return server;
  };

  it('creates the admin token on first start (file mode 0600, logged by path only) and keeps it on later starts', async () => {
    const dataDir = await tempDir();
    const lines: string[] = [];
    const first = await start(
      base(dataDir, { logger: { stream: { write: (line: string) => void lines.push(line) } } }),
    );
    expect(first.adminTokenFile).toBe(join(dataDir, 'admin.token'));
    expect(first.adminToken).toMatch(/^cst_[A-Za-z0-9_-]{43}$/);
    expect((await stat(first.adminTokenFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(first.adminTokenFile, 'utf8')).trim()).toBe(first.adminToken);
    expect(await readdir(dataDir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
    const log = lines.join('');
    expect(log).not.toContain(first.adminToken!);
    expect(lines.filter((line) => line.includes(first.adminTokenFile))).toHaveLength(1);

    const res = await fetch(`${first.url}/v1/tokens`, { headers: { authorization: `Bearer ${first.adminToken}` } });
    expect(res.status).toBe(200);
    const { tokens } = (await res.json()) as { tokens: { principal: string; roles: string[] }[] };
    expect(tokens).toEqual([expect.objectContaining({ principal: 'admin', roles: ['admin'] })]);
    await first.close();

    const second = await start(base(dataDir));
    expect(second.adminToken).toBeUndefined();
    expect((await readFile(second.adminTokenFile, 'utf8')).trim()).toBe(first.adminToken);
    const again = await fetch(`${second.url}/v1/keys`, { headers: { authorization: `Bearer ${first.adminToken}` } });
    expect(again.status).toBe(200);
  });

  it('does not recreate the token file when tokens exist, even if the file was deleted', async () => {
    const dataDir = await tempDir();
    const first = await start(base(dataDir));
    await first.close();
    await rm(first.adminTokenFile);
    const second = await start(base(dataDir));
    expect(second.adminToken).toBeUndefined();
    await expect(stat(second.adminTokenFile)).rejects.toThrow();
  });

  it('fails to start when admin.token cannot be written, leaving no token in the store; the next start creates it', async () => {
    const dataDir = await tempDir();
    const tokenFile = join(dataDir, 'admin.token');
    await mkdir(tokenFile); // rename(2) of the temporary file onto a directory fails (EISDIR), even as root
    const lines: string[] = [];
    const error = await startServer(
      base(dataDir, { logger: { stream: { write: (line: string) => void lines.push(line) } } }),
    ).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message: string },
    );
    // INTERNAL, naming the file and the errno for the operator starting the server; no token anywhere.
    expect(error?.code).toBe('INTERNAL');
    expect(error?.message).toBe(`cannot write the admin token file ${tokenFile}: EISDIR`);
    expect(lines.join('')).not.toContain('cst_');
    expect(await readdir(dataDir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
    expect((await stat(tokenFile)).isDirectory()).toBe(true);

    // The token was never committed: once the path is free, the next start still sees an empty token table.
    await rm(tokenFile, { recursive: true });
    const server = await start(base(dataDir));
    expect(server.adminToken).toMatch(/^cst_[A-Za-z0-9_-]{43}$/);
    expect((await readFile(tokenFile, 'utf8')).trim()).toBe(server.adminToken);
    const res = await fetch(`${server.url}/v1/tokens`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(((await res.json()) as { tokens: unknown[] }).tokens).toHaveLength(1);
  });

  it('serves over real HTTP on an ephemeral port, with health checks and request ids', async () => {
    const server = await start(base(await tempDir()));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const auth = { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${server.url}/v1/keys`, { method: 'POST', headers: auth, body: '{}' });
    expect(created.status).toBe(201);
    const { keyMetadata } = (await created.json()) as { keyMetadata: { keyId: string } };
    const enc = await fetch(`${server.url}/v1/keys/${keyMetadata.keyId}/encrypt`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ plaintext: Buffer.from('over the wire').toString('base64') }),
    });
    const { ciphertextBlob } = (await enc.json()) as { ciphertextBlob: string };
    const dec = await fetch(`${server.url}/v1/decrypt`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ ciphertextBlob }),
    });
    expect(Buffer.from(((await dec.json()) as { plaintext: string }).plaintext, 'base64').toString()).toBe(
      'over the wire',
    );
  });

  it('close() lets an in-flight request finish (its body still arriving), then resolves and stops listening', async () => {
    const lines: string[] = [];
    const server = await start(
      base(await tempDir(), { logger: { stream: { write: (line: string) => void lines.push(line) } } }),
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200); // a warm keep-alive connection
    // A request whose body arrives in two parts: it is in flight for as long as the test wants, whatever the machine.
    const body = Buffer.from(JSON.stringify({ keySpec: 'SYMMETRIC_DEFAULT', description: 'created while closing' }));
    let sendRest!: () => void;
    const inFlight = new Promise<{ status: number; body: { keyMetadata?: { description: string } } }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${server.url}/v1/keys`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${server.adminToken}`,
              'content-type': 'application/json',
              'content-length': String(body.length),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
            });
          },
        );
        req.on('error', reject);
        req.write(body.subarray(0, 10));
        sendRest = () => req.end(body.subarray(10));
      },
    );
    // Until the server has read the request's headers (it logs them): from then on the request is in flight.
    while (!lines.some((line) => line.includes('incoming request') && line.includes('"url":"/v1/keys"'))) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false); // still draining
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow(); // no new connections
    sendRest();
    const result = await inFlight;
    await closing; // and close() does not wait for the keep-alive timeout
    expect(result.status).toBe(201);
    expect(result.body.keyMetadata?.description).toBe('created while closing');
    await server.close(); // idempotent
  });

  it('a request that starts on a kept-alive connection after close() began gets 503 UNAVAILABLE in our error shape', async () => {
    const server = await start(base(await tempDir()));
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    try {
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      const ended = new Promise<void>((resolve) =>
        socket.once('close', () => {
          resolve();
        }),
      );
      await new Promise<void>((resolve) =>
        socket.once('connect', () => {
          resolve();
        }),
      );
      // The request line alone: the server has begun reading a request on this connection, so close() does not end
      // it as idle. The test shares the server's event loop: a few ms of waiting let the server read those bytes.
      socket.write('GET /v1/keys HTTP/1.1\r\n');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const closing = server.close();
      socket.write(`host: 127.0.0.1\r\nauthorization: Bearer ${server.adminToken}\r\n\r\n`);
      await ended; // the reply says Connection: close, and the server ends the connection
      await closing;
    } finally {
      socket.destroy();
    }
    const [head, body] = received.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 503 /);
    expect(head).toMatch(/\r\nconnection: close\r\n/i);
    const requestId = /\r\nx-request-id: (\S+)\r\n/i.exec(head!)?.[1];
    expect(JSON.parse(body!)).toEqual({
      error: { code: 'UNAVAILABLE', message: 'the server is shutting down', requestId },
    });
  });

  it('refuses a malformed listen address and a half TLS configuration', async () => {
    const dataDir = await tempDir();
    await expect(startServer(base(dataDir, { listen: 'localhost' }))).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(startServer(base(dataDir, { listen: '127.0.0.1:70000' }))).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(startServer(base(dataDir, { tlsCert: '/nonexistent' }))).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(startServer(base(dataDir, { tlsClientCa: '/nonexistent' }))).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('fails to start on a port in use, and leaves the data directory openable', async () => {
    const dataDir = await tempDir();
    const first = await start(base(await tempDir()));
    const port = new URL(first.url).port;
    await expect(startServer(base(dataDir, { listen: `127.0.0.1:${port}` }))).rejects.toThrow();
    const ok = await start(base(dataDir));
    expect((await fetch(`${ok.url}/healthz`)).status).toBe(200);
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:7300', { host: '127.0.0.1', port: 7300 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['[::1]:8443', { host: '::1', port: 8443 }],
    [':7300', { host: '127.0.0.1', port: 7300 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
  ])('%s', (listen, expected) => {
    expect(parseListen(listen)).toEqual(expected);
  });
});

describe('installSignalHandlers', () => {
  it('SIGTERM closes the server, then exits 0; the handlers can be removed', async () => {
    let closed = 0;
    const exits: number[] = [];
    const before = process.listenerCount('SIGTERM');
    installSignalHandlers(
      {
        close: async () => {
          closed++;
        },
      },
      (code) => {
        exits.push(code);
      },
    );
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    process.emit('SIGTERM', 'SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(1);
    expect(exits).toEqual([0]);
    expect(process.listenerCount('SIGTERM')).toBe(before);

    const remove = installSignalHandlers(
      { close: async () => Promise.reject(new Error('x')) },
      (code) => void exits.push(code),
    );
    process.emit('SIGINT', 'SIGINT');
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([0, 1]);
    remove();
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});

describe('TLS', () => {
  let dir: string;
  let certs: Record<string, string>;
  beforeAll(async () => {
    dir = await tempDir('custos-tls-');
    const f = (name: string) => join(dir, name);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
    const ca = (name: string) =>
      openssl(
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        f(`${name}.key`),
        '-out',
        f(`${name}.pem`),
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
      );
    const leaf = async (name: string, caName: string, ext: string) => {
      await writeFile(f(`${name}.ext`), ext);
      openssl(
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        f(`${name}.key`),
        '-out',
        f(`${name}.csr`),
        '-subj',
        `/CN=${name}`,
      );
      openssl(
        'x509',
        '-req',
        '-in',
        f(`${name}.csr`),
        '-CA',
        f(`${caName}.pem`),
        '-CAkey',
        f(`${caName}.key`),
        '-CAcreateserial',
        '-out',
        f(`${name}.pem`),
        '-days',
        '1',
        '-extfile',
        f(`${name}.ext`),
      );
    };
    ca('ca');
    ca('other-ca');
    await leaf('server', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await leaf('client', 'ca', 'extendedKeyUsage=clientAuth\n');
    await leaf('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
    certs = Object.fromEntries(
      ['ca', 'server', 'client', 'stranger'].flatMap((n) => [
        [n, f(`${n}.pem`)],
        [`${n}Key`, f(`${n}.key`)],
      ]),
    );
  });

  interface Reply {
    status: number;
    body: string;
  }
  async function get(
    url: string,
    tls: { ca: string; cert?: string; key?: string },
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const [ca, cert, key] = await Promise.all([
      readFile(tls.ca),
      tls.cert ? readFile(tls.cert) : undefined,
      tls.key ? readFile(tls.key) : undefined,
    ]);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        { ca, ...(cert ? { cert } : {}), ...(key ? { key } : {}), headers, agent: false },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('serves HTTPS with tlsCert and tlsKey', async () => {
    const server = await startServer(base(await tempDir(), { tlsCert: certs.server!, tlsKey: certs.serverKey! }));
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await get(`${server.url}/healthz`, { ca: certs.ca! })).toEqual({ status: 200, body: '{"status":"ok"}' });
      const keys = await get(
        `${server.url}/v1/keys`,
        { ca: certs.ca! },
        { authorization: `Bearer ${server.adminToken}` },
      );
      expect(keys.status).toBe(200);
      await expect(fetch(server.url.replace('https:', 'http:') + '/healthz')).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('with tlsClientCa, only clients with a certificate from that CA get through', async () => {
    const server = await startServer(
      base(await tempDir(), { tlsCert: certs.server!, tlsKey: certs.serverKey!, tlsClientCa: certs.ca! }),
    );
    try {
      const ok = await get(
        `${server.url}/v1/keys`,
        { ca: certs.ca!, cert: certs.client!, key: certs.clientKey! },
        { authorization: `Bearer ${server.adminToken}` },
      );
      expect(ok.status).toBe(200);
      await expect(get(`${server.url}/healthz`, { ca: certs.ca! })).rejects.toThrow();
      await expect(
        get(`${server.url}/healthz`, { ca: certs.ca!, cert: certs.stranger!, key: certs.strangerKey! }),
      ).rejects.toThrow();
      // mTLS is on top of, not instead of, the bearer token.
      const noToken = await get(`${server.url}/v1/keys`, { ca: certs.ca!, cert: certs.client!, key: certs.clientKey! });
      expect(noToken.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
