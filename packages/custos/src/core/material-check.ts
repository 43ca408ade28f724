// A one-way check value of key material, to recognise the same material on re-import without keeping it.
// Pure; must not import store, service or api.
import { createHmac } from 'node:crypto';
import { exposeSecret, type SecretBytes } from './secret-bytes.js';

/** HMAC-SHA-256 keyed by the material over a fixed label (like a key check value), hex. Reveals nothing usable. */
export function materialCheckValue(material: SecretBytes): string {
  return createHmac('sha256', exposeSecret(material)).update('custos key material check value v1').digest('hex');
}
