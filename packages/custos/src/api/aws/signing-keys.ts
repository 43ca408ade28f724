// The SigV4 signing keys derived from access keys' secrets, cached per access key, date, region and service (as the
// AWS SDKs cache them on the signing side): a request whose key is cached costs two HMACs and a hash, not six
// HMACs and a secret's unwrap. Each entry remembers which lookup of its access key it was derived from (`owner`):
// once the service looks the access key up anew (its cache expired, or the key was revoked, on this node or
// another), the old key is not used again. Must not import service, store or keystore.
import { createHmac } from 'node:crypto';
import { exposeSecret, type SecretBytes } from '../../core/secret-bytes.js';

/** Enough for every access key in use today and yesterday (a date changes the key) on one node. */
const DEFAULT_MAX_ENTRIES = 1_000;

interface Entry {
  readonly owner: object;
  readonly key: Buffer;
}

/** A bounded map of derived signing keys; the oldest entry leaves first when it is full. */
export class SigningKeyCache {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  /** How many signing keys are held (tests, metrics). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The signature (HMAC-SHA256 under the signing key of `accessKeyId` for `date/region/service/aws4_request`) of
   * `stringToSign`, when that key is cached for this `owner` (the access key's lookup); otherwise undefined (then
   * call `derive`). The key never leaves the cache.
   */
  sign(
    owner: object,
    accessKeyId: string,
    date: string,
    region: string,
    service: string,
    stringToSign: string,
  ): Buffer | undefined {
    const cached = this.#entries.get(cacheId(accessKeyId, date, region, service));
    return cached?.owner === owner ? createHmac('sha256', cached.key).update(stringToSign).digest() : undefined;
  }

  /** As `sign`, deriving the signing key from `secret` first (wiped once read) and caching it for `owner`. */
  async derive(
    owner: object,
    accessKeyId: string,
    date: string,
    region: string,
    service: string,
    secret: SecretBytes | (() => Promise<SecretBytes>),
    stringToSign: string,
  ): Promise<Buffer> {
    const bytes = typeof secret === 'function' ? await secret() : secret;
    let key: Buffer;
    try {
      key = deriveSigningKey(exposeSecret(bytes), date, region, service);
    } finally {
      bytes.wipe();
    }
    const id = cacheId(accessKeyId, date, region, service);
    this.#drop(id);
    const oldest = this.#entries.size >= this.maxEntries ? this.#entries.keys().next().value : undefined;
    return this.#set(oldest, id, owner, key, stringToSign);
  }

  /** Drops every signing key of `accessKeyId` (it was refused: unknown or revoked). */
  forget(accessKeyId: string): void {
    const prefix = `${accessKeyId}/`;
    for (const id of this.#entries.keys()) if (id.startsWith(prefix)) this.#drop(id);
  }

  /** Evicts `evict` (the oldest entry, when full), caches the key, and signs with it (synchronously: no other request can wipe it meanwhile). */
  #set(evict: string | undefined, id: string, owner: object, key: Buffer, stringToSign: string): Buffer {
    if (evict !== undefined) this.#drop(evict);
    this.#entries.set(id, { owner, key });
    return createHmac('sha256', key).update(stringToSign).digest();
  }

  /** Removes and wipes an entry (safe: keys are only used synchronously, inside this class). */
  #drop(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.key.fill(0);
    this.#entries.delete(id);
  }
}

function cacheId(accessKeyId: string, date: string, region: string, service: string): string {
  return `${accessKeyId}/${date}/${region}/${service}`;
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
function deriveSigningKey(secret: Uint8Array, date: string, region: string, service: string): Buffer {
  const initial = Buffer.allocUnsafe(4 + secret.length);
  initial.write('AWS4', 0, 'latin1');
  initial.set(secret, 4);
  try {
    const kDate = createHmac('sha256', initial).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    const kSigning = createHmac('sha256', kService).update('aws4_request').digest();
    kDate.fill(0);
    kRegion.fill(0);
    kService.fill(0);
    return kSigning;
  } finally {
    initial.fill(0);
  }
}
