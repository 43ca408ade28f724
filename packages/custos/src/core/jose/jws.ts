// Compact JWS (RFC 7515 §7.1) around a signature made elsewhere (the key stays in Custos): the protected header
// Custos allows, the signing input, the compact form, and verification with jose. Pure; must not import store,
// service or api.
import type { KeyObject } from 'node:crypto';
import { base64url, flattenedVerify } from 'jose';
import { ValidationError } from '@custos/contract';

/** Header parameters a caller may not set: Custos sets `x5c`, and it implements no extension (`crit`, `b64`). */
const REFUSED_HEADER = ['crit', 'b64', 'x5c', 'x5u', 'jwk', 'jku', 'x5t', 'x5t#S256'] as const;

/**
 * The protected header: the caller's parameters with the key's `alg` and `kid` (and `x5c` when given). A caller's
 * `alg` or `kid` that differs from the key's, or a refused parameter, is VALIDATION_ERROR.
 * @example jwsHeader({ typ: 'JWT' }, { alg: 'ES256', kid })
 */
export function jwsHeader(
  extra: Readonly<Record<string, unknown>> | undefined,
  fixed: { readonly alg: string; readonly kid: string; readonly x5c?: readonly string[] },
): Record<string, unknown> {
  const header = { ...extra };
  for (const name of ['alg', 'kid'] as const)
    if (name in header && header[name] !== fixed[name])
      throw new ValidationError(`the protected header may not override ${name}`, 'VALIDATION_ERROR');
  for (const name of REFUSED_HEADER)
    if (name in header) throw new ValidationError(`the protected header may not set ${name}`, 'VALIDATION_ERROR');
  return { ...header, alg: fixed.alg, kid: fixed.kid, ...(fixed.x5c ? { x5c: [...fixed.x5c] } : {}) };
}

/** The encoded header and payload and the bytes to sign: ASCII(BASE64URL(header) '.' BASE64URL(payload)). */
export function signingInput(
  header: Readonly<Record<string, unknown>>,
  payload: Uint8Array,
): { readonly encodedHeader: string; readonly encodedPayload: string; readonly input: Uint8Array } {
  const encodedHeader = base64url.encode(JSON.stringify(header));
  const encodedPayload = base64url.encode(payload);
  // The one by-hand join the JOSE work needs: jose's signers want the key itself.
  return { encodedHeader, encodedPayload, input: new TextEncoder().encode(`${encodedHeader}.${encodedPayload}`) };
}

/** The compact serialization; a detached JWS has an empty payload part (RFC 7515 Appendix F). */
export function compactJws(
  parts: { readonly encodedHeader: string; readonly encodedPayload: string },
  signature: Uint8Array,
  detached: boolean,
): string {
  return `${parts.encodedHeader}.${detached ? '' : parts.encodedPayload}.${base64url.encode(signature)}`;
}

/** The protected header of a compact JWS, or undefined when it is not one (3 parts, a JSON object header). */
export function jwsProtectedHeader(jws: string): Record<string, unknown> | undefined {
  const [encodedHeader, , , extra] = jws.split('.');
  if (encodedHeader === undefined || extra !== undefined || jws.split('.').length !== 3) return undefined;
  try {
    const header: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(encodedHeader)),
    );
    return header !== null && typeof header === 'object' && !Array.isArray(header)
      ? (header as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a compact JWS with jose under `key`, allowing only `alg`; `detachedPayload` (base64url) fills an empty
 * payload part and must equal a present one. Never throws for a bad JWS: `valid: false`.
 */
export async function verifyCompactJws(
  jws: string,
  key: KeyObject,
  alg: string,
  detachedPayload: string | undefined,
): Promise<{ valid: false } | { valid: true; header: Record<string, unknown>; payload: string }> {
  const [encodedHeader = '', encodedPayload = '', signature = ''] = jws.split('.');
  if (detachedPayload !== undefined && encodedPayload !== '' && encodedPayload !== detachedPayload)
    return { valid: false };
  const payload = encodedPayload === '' ? (detachedPayload ?? '') : encodedPayload;
  try {
    const result = await flattenedVerify({ protected: encodedHeader, payload, signature }, key, { algorithms: [alg] });
    return { valid: true, header: { ...result.protectedHeader }, payload: base64url.encode(result.payload) };
  } catch {
    return { valid: false };
  }
}
