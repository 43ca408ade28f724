// AWS Signature Version 4 verification of AWS protocol requests, in two steps: from the headers alone (before any
// body byte is read) check the Authorization header, what it signs, the date and the credential scope
// (sigv4-head.ts), and look up the access key; then rebuild the canonical request over the signed headers and the
// raw body (canonical-request.ts), sign it with the access key's signing key for the scope (signing-keys.ts: derived
// once per access key, date, region and service) and compare in constant time. node:crypto only.
// Must not import service, store or keystore.
import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { KmsError, type Caller } from '@custos/contract';
import type { SecretBytes } from '../../core/secret-bytes.js';
import { canonicalRequest, EMPTY_PAYLOAD_HASH } from './canonical-request.js';
import { AwsProtocolError } from './protocol-errors.js';
import {
  checkClock,
  checkScope,
  checkSignedHeaders,
  MAX_CLOCK_SKEW_MS,
  parseAmzDate,
  parseAuthorization,
  SERVICE,
  type ParsedAuthorization,
  single,
} from './sigv4-head.js';
import { SigningKeyCache } from './signing-keys.js';

export { SigningKeyCache } from './signing-keys.js';

const SIGNATURE_HEX = /^[0-9a-f]{64}$/;

/** The request as received: method, raw URL (path and query), headers (lower-case names), exact body bytes. */
export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

/** What an access key id stands for (the service answers the same object while its lookup is cached). */
export interface AccessKeyFound {
  readonly caller: Caller;
  /**
   * The access key's secret: a copy (wiped once the check is done), or how to get one (called only when the signing
   * key for the request's scope is not cached for this lookup; the copy it answers is wiped after use).
   */
  readonly secretAccessKey: SecretBytes | (() => Promise<SecretBytes>);
  /**
   * Called once the signature verified, so that a wrong signature does not count as a use. Not waited for: it must
   * never reject.
   */
  readonly recordUse?: () => Promise<void>;
}

/** What an access key id stands for; UNAUTHENTICATED (any KmsError with that code) for unknown or revoked ids. */
export type AccessKeyLookup = (accessKeyId: string) => Promise<AccessKeyFound>;

export interface SigV4Options {
  /** The region requests must be scoped to (the region of the key ARNs). */
  readonly region: string;
  readonly lookup: AccessKeyLookup;
  /**
   * The lookup's answer when it needs no promise (the service's cache): undefined when `lookup` must be asked.
   * Lets a request whose access key and signing key are cached be checked with no promise at all.
   */
  readonly lookupCached?: (accessKeyId: string) => AccessKeyFound | undefined;
  readonly now?: () => Date;
  /** Where derived signing keys are kept between requests. Default: none kept (each request derives its key). */
  readonly signingKeys?: SigningKeyCache;
}

/** A request verified by its signature: who sent it, and what identifies this exact request. */
export interface VerifiedRequest {
  readonly caller: Caller;
  /** The request's signature (hex): two requests with the same signature are the same bytes, replayed. */
  readonly signature: string;
  /** When the signature stops being accepted: its X-Amz-Date plus the allowed clock skew. */
  readonly expiresAt: Date;
}

/**
 * A request whose headers passed every check that needs no body (Authorization, signed headers, date, scope, a
 * known access key): `verifyBody` (or `verify`) finishes the check once the body is read. Holds the access key's
 * secret (when the lookup handed a copy) until `verifyBody`, `verify` or `discard` (call one of them, whatever
 * happens).
 */
export interface PendingSignature {
  verifyBody(body: Uint8Array): Promise<VerifiedRequest>;
  /** As `verifyBody`, with no promise when the signing key is cached (the hot path); throws as it rejects. */
  verify(body: Uint8Array): VerifiedRequest | Promise<VerifiedRequest>;
  /** Wipes the secret without verifying (the request ended before its body was read). Idempotent. */
  discard(): void;
}

/** The request without its body: method, raw URL (path and query), headers (lower-case names). */
export type RequestHead = Omit<SignedRequest, 'body'>;

/**
 * The checks of a SigV4-signed request that need no body, and the access key's lookup; an AwsProtocolError named as
 * AWS names the failure (MissingAuthenticationTokenException, IncompleteSignatureException,
 * InvalidSignatureException, UnrecognizedClientException). A request that fails here need not have its body read.
 *
 * @example
 * const pending = await checkSigV4Head({ method: 'POST', url: '/', headers: req.headers }, { region, lookup });
 * const { caller } = await pending.verifyBody(rawBody);
 */
export async function checkSigV4Head(head: RequestHead, options: SigV4Options): Promise<PendingSignature> {
  return beginSigV4(head, options);
}

/**
 * `checkSigV4Head` with no promise when `options.lookupCached` knows the access key (the AWS route's hot path);
 * throws (or rejects) as it rejects.
 */
export function beginSigV4(head: RequestHead, options: SigV4Options): PendingSignature | Promise<PendingSignature> {
  const header = single(head.headers.authorization);
  if (header === undefined)
    throw new AwsProtocolError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const auth = parseAuthorization(header);

  const amzDate = single(head.headers['x-amz-date']);
  if (amzDate === undefined || !auth.signedHeaders.includes('x-amz-date')) {
    throw new AwsProtocolError(
      'IncompleteSignatureException',
      "Authorization header requires a signed 'X-Amz-Date' header.",
    );
  }
  const signingDate = parseAmzDate(amzDate);
  checkSignedHeaders(head.headers, auth.signedHeaders);
  checkScope(auth, amzDate, options.region);
  checkClock(signingDate, amzDate, options.now ? options.now() : new Date());

  const cached = options.lookupCached?.(auth.accessKeyId);
  if (cached) return new Pending(head, auth, amzDate, signingDate, options, cached);
  return lookUp(options, auth.accessKeyId).then(
    (found) => new Pending(head, auth, amzDate, signingDate, options, found),
    (error: unknown) => {
      if (error instanceof KmsError && error.code === 'UNAUTHENTICATED') {
        options.signingKeys?.forget(auth.accessKeyId); // unknown or revoked: no key derived from it stays
        throw new AwsProtocolError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
      }
      throw error;
    },
  );
}

/** The access key's lookup, a failure of which (thrown or rejected) rejects. */
async function lookUp(options: SigV4Options, accessKeyId: string): Promise<AccessKeyFound> {
  return options.lookup(accessKeyId);
}

/** What the header checks found, and the access key: the body check (one object per request, no closures). */
class Pending implements PendingSignature {
  constructor(
    private readonly head: RequestHead,
    private readonly auth: ParsedAuthorization,
    private readonly amzDate: string,
    private readonly signingDate: Date,
    private readonly options: SigV4Options,
    private readonly found: AccessKeyFound,
  ) {}

  discard(): void {
    const secret = this.found.secretAccessKey;
    if (typeof secret !== 'function') secret.wipe();
  }

  async verifyBody(body: Uint8Array): Promise<VerifiedRequest> {
    return this.verify(body);
  }

  verify(body: Uint8Array): VerifiedRequest | Promise<VerifiedRequest> {
    const { head, auth, found } = this;
    const { region, signingKeys } = this.options;
    let stringToSign: string;
    let cache: SigningKeyCache;
    let expected: Buffer | undefined;
    try {
      const payloadHash = checkPayloadHash(head.headers, auth.signedHeaders, body);
      const canonical = canonicalRequest(head.method, head.url, head.headers, auth.signedHeaders, payloadHash);
      stringToSign = `AWS4-HMAC-SHA256\n${this.amzDate}\n${auth.scopeDate}/${region}/${SERVICE}/aws4_request\n${hash('sha256', canonical, 'hex')}`;
      cache = signingKeys ?? new SigningKeyCache(1);
      expected = cache.sign(found, auth.accessKeyId, auth.scopeDate, region, SERVICE, stringToSign);
    } catch (error) {
      this.discard();
      throw error;
    }
    if (expected) {
      this.discard();
      return this.#verified(expected);
    }
    return cache
      .derive(found, auth.accessKeyId, auth.scopeDate, region, SERVICE, found.secretAccessKey, stringToSign)
      .finally(() => {
        this.discard();
      })
      .then((key) => this.#verified(key));
  }

  /** The request's caller once `expected` (the signature computed here) matches the one sent. */
  #verified(expected: Buffer): VerifiedRequest {
    const { signature } = this.auth;
    if (!signatureMatches(expected, signature)) {
      throw new AwsProtocolError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
    const { found } = this;
    if (found.recordUse) void found.recordUse();
    return {
      caller: found.caller,
      signature,
      expiresAt: new Date(this.signingDate.getTime() + MAX_CLOCK_SKEW_MS),
    };
  }
}

/**
 * The caller of a SigV4-signed request (both steps of checkSigV4Head at once), or an AwsProtocolError named as AWS
 * names the failure.
 *
 * @example
 * const { caller } = await verifySigV4({ method: 'POST', url: '/', headers: req.headers, body: rawBody }, { region, lookup });
 */
export async function verifySigV4(request: SignedRequest, options: SigV4Options): Promise<VerifiedRequest> {
  const pending = await beginSigV4(request, options);
  return pending.verify(request.body);
}

/**
 * The payload hash the signature covers: the body's SHA-256. A signed `x-amz-content-sha256` stands in for the body
 * in the signature, so it must be the hash of the body actually received; otherwise the signature would not cover
 * the body.
 */
function checkPayloadHash(headers: IncomingHttpHeaders, signedHeaders: readonly string[], body: Uint8Array): string {
  const actual = body.length === 0 ? EMPTY_PAYLOAD_HASH : hash('sha256', body, 'hex');
  if (signedHeaders.includes('x-amz-content-sha256') && single(headers['x-amz-content-sha256']) !== actual) {
    throw new AwsProtocolError(
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  return actual;
}

/** Constant-time comparison with the signature sent (its form is not secret: 64 lower-case hex digits when valid). */
function signatureMatches(expected: Buffer, sent: string): boolean {
  return SIGNATURE_HEX.test(sent) && timingSafeEqual(expected, Buffer.from(sent, 'hex'));
}
