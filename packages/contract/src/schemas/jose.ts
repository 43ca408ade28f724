// Schemas the JOSE operations share (RFC 7515, 7516, 7517, 7519): base64url text, JOSE headers and claims, and the
// size bound of JOSE payloads. Must not import anything but TypeBox.
import { Type } from '@sinclair/typebox';

/** The most bytes a JOSE payload, message or plaintext may hold (JWS, JWT, JWE and the jwk facade). */
export const MAX_JOSE_BYTES = 65536;

/** Unpadded base64url text (RFC 4648 §5), as JWS payloads travel. */
export const Base64Url = Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength: Math.ceil((MAX_JOSE_BYTES * 4) / 3) });

/** A JSON object: a JOSE header or JWT claims set. */
export const JsonObject = Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.Unknown());

/** A compact JWS, JWT or JWE (dot-separated base64url parts). */
export const CompactJose = Type.String({ minLength: 1, maxLength: 4 * MAX_JOSE_BYTES, pattern: '^[A-Za-z0-9_.-]+$' });

/** A JOSE algorithm name (`ES256`, `RSA-OAEP-256`, …): which ones a key can do is the service's rule. */
export const JoseAlg = Type.String({ minLength: 1, maxLength: 32 });
