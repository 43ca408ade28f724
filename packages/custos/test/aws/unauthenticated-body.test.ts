// Requests the AWS endpoint cannot authenticate from their headers (no Authorization, a malformed one, an unknown
// access key id) are refused before their bodies are read (issue 12): raw HTTP requests whose chunked bodies are
// large or never end get their error at once, and the connection is closed. Authenticated requests keep the body
// limit (1 MiB by default, 413 beyond).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAwsRequest, startAwsServer, type AwsCredentials, type AwsTestServer } from './helpers.js';

let server: AwsTestServer;
let admin: AwsCredentials;

beforeAll(async () => {
  server = await startAwsServer();
  admin = await server.accessKey(['admin'], 'aws-admin');
});

afterAll(async () => {
  await server?.close();
});

interface Outcome {
  readonly status: number;
  readonly errorType: string | undefined;
  /** Milliseconds from the request's start to the reply's end. */
  readonly ms: number;
  /** Whether the server closed the connection after its reply (within a second), while the body was still coming. */
  readonly closed: boolean;
}

const CHUNK = Buffer.alloc(16 * 1024, 0x61);
const TRICKLE = Buffer.alloc(1024, 0x61);

/**
 * POST / with `headers` and a chunked body of `totalBytes` (Infinity: one that never ends). Resolves when the reply
 * has arrived (or rejects after `timeoutMs`).
 */
function post(headers: Record<string, string>, totalBytes: number, timeoutMs = 5000): Promise<Outcome> {
  const { hostname, port } = new URL(server.url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = false;
    const req = httpRequest({
      host: hostname,
      port: Number(port),
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListKeys',
        'transfer-encoding': 'chunked',
        ...headers,
      },
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`no reply within ${timeoutMs} ms (${sent} body bytes sent)`));
    }, timeoutMs);
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      req.destroy();
    };
    req.on('error', () => undefined); // the server may close the connection while the body is still being written
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => undefined);
      res.on('end', () => {
        const ms = Date.now() - started;
        const text = Buffer.concat(chunks).toString('utf8');
        const errorType = res.statusCode === 200 ? undefined : (JSON.parse(text) as { __type: string }).__type;
        const settle = (closed: boolean): void => {
          finish();
          resolve({ status: res.statusCode ?? 0, errorType, ms, closed });
        };
        if (req.socket?.destroyed) {
          settle(true);
          return;
        }
        const wait = setTimeout(() => {
          settle(false);
        }, 1000);
        req.socket?.once('close', () => {
          clearTimeout(wait);
          settle(true);
        });
      });
    });
    // A finite body goes as fast as the socket takes it; an endless one trickles (1 KiB every 20 ms), as a client
    // holding the connection open would send it, and never reaches the body limit.
    const pump = (): void => {
      if (done) return;
      if (sent >= totalBytes) {
        req.end();
        return;
      }
      const chunk = totalBytes === Infinity ? TRICKLE : CHUNK;
      sent += chunk.length;
      const more = req.write(chunk);
      if (totalBytes === Infinity) setTimeout(pump, 20);
      else if (more) setImmediate(pump);
      else req.once('drain', pump);
    };
    pump();
  });
}

const FIVE_MB = 5 * 1024 * 1024;

describe('unauthenticated requests on the AWS endpoint', () => {
  it('refuses a request without Authorization and a body that never ends at once (MissingAuthenticationTokenException)', async () => {
    const outcome = await post({}, Infinity);
    expect(outcome).toMatchObject({ status: 400, errorType: 'MissingAuthenticationTokenException', closed: true });
    expect(outcome.ms).toBeLessThan(2000);
  });

  it('refuses a request without Authorization and a 5 MB body with its own error, not a body-size error', async () => {
    const outcome = await post({}, FIVE_MB);
    expect(outcome).toMatchObject({ status: 400, errorType: 'MissingAuthenticationTokenException', closed: true });
  });

  it('refuses a malformed Authorization header and an unknown access key id before the body', async () => {
    const date = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const unknown = `AWS4-HMAC-SHA256 Credential=AKIACUSTOSUNKNOWN234/${date.slice(0, 8)}/us-east-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`;
    const cases: [Record<string, string>, string][] = [
      [{ authorization: 'Bearer cst_abc' }, 'IncompleteSignatureException'],
      [{ authorization: unknown, 'x-amz-date': date }, 'UnrecognizedClientException'],
    ];
    for (const [headers, errorType] of cases) {
      const outcome = await post(headers, Infinity);
      expect(outcome, headers.authorization).toMatchObject({ status: 400, errorType, closed: true });
      expect(outcome.ms).toBeLessThan(2000);
    }
  });

  it('keeps the body limit for a request with a known access key: 5 MB is refused as too large', async () => {
    const signed = await signAwsRequest(server.url, admin, 'TrentService.ListKeys', {});
    const { 'content-length': _length, ...headers } = signed.headers;
    const outcome = await post(headers, FIVE_MB);
    expect(outcome).toMatchObject({ status: 400, errorType: 'ValidationException' });
  });

  it('still serves a request with a known access key and a small body', async () => {
    const signed = await signAwsRequest(server.url, admin, 'TrentService.ListKeys', {});
    const res = await fetch(server.url + '/', { method: 'POST', headers: signed.headers, body: signed.body });
    expect(res.status).toBe(200);
  });
});
