// The AWS KMS JSON 1.1 endpoint: one `POST /` route where `X-Amz-Target: TrentService.<Operation>` picks a handler
// from targets.ts, requests are authenticated by SigV4 with Custos access keys (their headers before the body is
// read, then the signature over the body), exact replays of signed requests that change state are refused, and every
// failure is answered in AWS's error shape. Encapsulated (not fastify-plugin): its body parser and error handler
// apply to this route only. Must not be imported by service, store, keystore or core.
import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InternalError, type Kms } from '@custos/contract';
import { changesState } from '../../service/replay-guard.js';
import type { SecretBytes } from '../../core/secret-bytes.js';
import { headerPin } from '../routes/v1/key-pin.js';
import { RECEIPT_HEADER } from '../routes/v1/operations.js';
import { sendAwsError } from './error-reply.js';
import { AwsProtocolError } from './protocol-errors.js';
import {
  beginSigV4,
  SigningKeyCache,
  type AccessKeyFound,
  type PendingSignature,
  type SigV4Options,
  type VerifiedRequest,
} from './sigv4.js';
import { TARGETS } from './targets.js';

/** What the AWS endpoint needs of the service: the Kms, access key lookup, and the region ARNs and scopes name. */
interface AwsKmsService extends Kms {
  /** An access key's caller, and how to unwrap its secret (a copy for each derivation, wiped by the SigV4 check). */
  authenticateAccessKey(
    accessKeyId: string,
  ): Promise<AccessKeyFound & { readonly secretAccessKey: () => Promise<SecretBytes> }>;
  /** `authenticateAccessKey` with no promise when the lookup is cached; undefined when it must be asked. */
  authenticateAccessKeyCached(
    accessKeyId: string,
  ): (AccessKeyFound & { readonly secretAccessKey: () => Promise<SecretBytes> }) | undefined;
  /** The replay guard: false when this signed request (by digest) already ran an operation that changes state. */
  recordSignedRequest(operation: string, digest: string, expiresAt: Date): Promise<boolean>;
  readonly config: { readonly region: string };
}

export interface AwsPluginOptions {
  readonly kms: AwsKmsService;
  /** The clock SigV4 dates are checked against (tests). Default: the system clock. */
  readonly now?: () => Date;
}

const AWS_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'TrentService.';
const EMPTY = Buffer.alloc(0);

/**
 * A request body as the content-type parser leaves it: its exact bytes (which the signature covers, and which the
 * handler parses), and the signature check's failure, if it failed (thrown by the handler: a failure in the parser
 * would make Fastify close the connection, which a request whose body was read needs not).
 */
interface AwsBody {
  readonly raw: Buffer;
  readonly refused?: Error;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The AWS route's SigV4 check: its headers passed (pending), then its signature verified. */
    awsSignature?: PendingSignature | VerifiedRequest;
  }
}

/**
 * Registers `POST /` for AWS SDKs and the AWS CLI (`--endpoint-url`).
 * @example void app.register(awsPlugin, { kms });
 */
export async function awsPlugin(app: FastifyInstance, options: AwsPluginOptions): Promise<void> {
  const { kms } = options;
  const region = kms.config.region;

  // One options object and one signing-key cache for every request (nothing rebuilt per request). The service
  // unwraps a secret only when a signing key is derived, and wipes nothing it did not hand out: a request that
  // ends between its two checks holds no secret, so no hook needs to run after it.
  const sigv4: SigV4Options = {
    region,
    lookup: (id) => kms.authenticateAccessKey(id),
    lookupCached: (id) => kms.authenticateAccessKeyCached(id),
    signingKeys: new SigningKeyCache(),
    ...(options.now ? { now: options.now } : {}),
  };

  /** The signature check over the body: sets the request's caller, or throws (rejects) as AWS names the failure. */
  const verify = (request: FastifyRequest, raw: Buffer): void | Promise<void> => {
    const pending = request.awsSignature;
    if (!pending || !('verify' in pending)) throw new InternalError('the AWS route ran without its header check');
    const result = pending.verify(raw);
    if (!('then' in result)) {
      admit(request, result);
      return undefined;
    }
    return result.then((verified) => {
      admit(request, verified);
    });
  };

  // The signature covers the exact body bytes: keep them, and check the signature as soon as they are read, here,
  // before any preValidation or preHandler hook (the rate limit counts by the caller this sets); the handler parses
  // the JSON. The AWS JSON types are named so that Fastify caches their parser (a catch-all parser is looked up
  // anew, with a Content-Type parse, on every request); other types reach the handler, which refuses them.
  app.removeAllContentTypeParsers();
  const parseBody = (request: FastifyRequest, body: Buffer | string, done: (err: null, body: AwsBody) => void) => {
    const raw = body as Buffer;
    let checked: void | Promise<void>;
    try {
      checked = verify(request, raw);
    } catch (error) {
      done(null, { raw, refused: asError(error) });
      return;
    }
    if (checked === undefined) done(null, { raw });
    else
      checked.then(
        () => {
          done(null, { raw });
        },
        (error: unknown) => {
          done(null, { raw, refused: asError(error) });
        },
      );
  };
  for (const type of [AWS_CONTENT_TYPE, 'application/x-amz-json-1.0', '*'])
    app.addContentTypeParser(type, { parseAs: 'buffer' }, parseBody);

  app.setErrorHandler((error, request, reply) => sendAwsError(request, reply, error));
  // One property on every request of this route, from the start (one shape for V8; no side table to look it up in).
  app.decorateRequest('awsSignature', undefined);

  app.route({
    method: 'POST',
    url: '/',
    // `public`: the REST API's bearer-token hook stands aside; SigV4 authenticates this route (the hook below and the
    // body parser above).
    config: { public: true, operation: 'AwsKms' },
    schema: { hide: true },
    // Before the body is read: a request without a well-formed, fully signed Authorization from a known access key
    // is refused here, so that nobody unauthenticated makes the server buffer (or wait for) a body. Callback style,
    // and no promise at all when the access key's lookup is cached.
    onRequest: (request, _reply, done) => {
      let pending: PendingSignature | Promise<PendingSignature>;
      try {
        pending = beginSigV4(
          { method: request.method, url: request.raw.url ?? request.url, headers: request.headers },
          sigv4,
        );
      } catch (error) {
        done(error as Error);
        return;
      }
      if (!('then' in pending)) {
        request.awsSignature = pending;
        done();
        return;
      }
      pending.then((checked) => {
        request.awsSignature = checked;
        done();
      }, done);
    },
    handler: async (request, reply) => {
      const body = request.body as AwsBody | undefined;
      if (body?.refused !== undefined) throw body.refused;
      // No body parsed (no Content-Type and no body: refused below, but only once the signature is checked).
      if (body === undefined) await verify(request, EMPTY);
      const caller = request.caller;
      const verified = request.awsSignature;
      if (!caller || !verified || !('signature' in verified))
        throw new InternalError('the AWS route ran without its signature check');
      const targetName = header(request, 'x-amz-target');
      if (!targetName?.startsWith(TARGET_PREFIX)) {
        throw new AwsProtocolError('UnknownOperationException', 'X-Amz-Target must name a TrentService operation');
      }
      const target = Object.hasOwn(TARGETS, targetName) ? TARGETS[targetName] : undefined;
      if (!target)
        throw new AwsProtocolError(
          'UnsupportedOperationException',
          `${targetName.slice(TARGET_PREFIX.length)} is not supported by Custos`,
        );
      const operation = targetName.slice(TARGET_PREFIX.length);
      request.operation = operation; // the metrics label: a name from TARGETS only
      const input = parseJson(request, body);
      if (changesState(operation)) await refuseReplay(kms, operation, verified); // nothing to record otherwise
      // As on /v1: a successful call's reply carries the receipt of its audit record.
      caller.onReceipt = (receipt) => void reply.header(RECEIPT_HEADER, receipt);
      const keyPin = headerPin(request); // Key PINs (key-pins): signed, sigv4.ts checkSignedHeaders
      if (keyPin !== undefined) caller.keyPin = keyPin;
      const result = await target(kms, input, caller);
      return (
        reply
          .code(200)
          .header('content-type', AWS_CONTENT_TYPE)
          .header('x-amzn-RequestId', request.id)
          // Serialised by JSON.stringify as the reply's own serializer: Fastify then sends the string as it is, with no
          // charset appended to the content type (as AWS answers), and no Buffer copy of it.
          .serializer(JSON.stringify)
          .send(result ?? {})
      );
    },
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new InternalError('the signature check failed');
}

/** The verified request's caller, as the REST API's authentication sets it (with this request's id and address). */
function admit(request: FastifyRequest, verified: VerifiedRequest): void {
  request.awsSignature = verified;
  request.caller = { ...verified.caller, requestId: request.id, sourceIp: request.ip };
}

/**
 * The exact bytes of a signed request that changes state run once (issue 12): anyone who sees a signed DisableKey
 * could otherwise send it again, to any node, for as long as its signature is accepted (15 minutes). The service
 * decides which operations change state, and remembers the signature's digest, across nodes, until it expires.
 * Read-only and cryptographic requests may be repeated. A client that means to repeat an operation signs it again
 * (a new date, or the SDK's per-attempt headers, make a new signature).
 */
async function refuseReplay(kms: AwsKmsService, operation: string, verified: VerifiedRequest): Promise<void> {
  const digest = hash('sha256', verified.signature, 'hex');
  if (await kms.recordSignedRequest(operation, digest, verified.expiresAt)) return;
  throw new AwsProtocolError(
    'InvalidSignatureException',
    'Signature already used: this request changes state and was already received. Sign it again to repeat it.',
  );
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The JSON object of an AWS JSON 1.1 request (an empty body is `{}`). */
function parseJson(request: FastifyRequest, body: AwsBody | undefined): Record<string, unknown> {
  const contentType = header(request, 'content-type');
  if (contentType !== AWS_CONTENT_TYPE && !isAwsJson(contentType)) {
    throw new AwsProtocolError('SerializationException', `Content-Type must be ${AWS_CONTENT_TYPE}`);
  }
  const text = body?.raw.toString('utf8') ?? '';
  if (/^\s*$/.test(text)) return {}; // (not trim(): that copies the body)
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the body, which may hold plaintext: say only that it is not JSON.
    throw new AwsProtocolError('SerializationException', 'the request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsProtocolError('SerializationException', 'the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Whether a Content-Type names AWS JSON 1.1 or 1.0 (any case, parameters allowed). */
function isAwsJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === AWS_CONTENT_TYPE || type === 'application/x-amz-json-1.0';
}
