// MOSIP's CryptomanagerController endpoints (encrypt, decrypt): the request's base64 in, the MOSIP bytes of
// keyringEncrypt/keyringDecrypt out as base64url with padding. Must not be imported by service, store, keystore or
// core.
import { encodeMosipBase64 } from '../../core/mosip/mosip-base64.js';
import { checkTimestamp } from './envelope.js';
import { defined, type MosipCall, type MosipEndpoint } from './endpoint.js';
import type { Fields } from './fields.js';

const KER_INVALID_DATA = 'KER-CRY-003';

/** The fields encrypt and decrypt share: keyring, timeStamp (checked, unused), salt and aad. */
function common(fields: Fields): {
  applicationId: string;
  referenceId?: string;
  salt?: Uint8Array;
  aad?: Uint8Array;
} {
  const applicationId = fields.required('applicationId');
  checkTimestamp('timeStamp', fields.optional('timeStamp'));
  return defined({
    applicationId,
    referenceId: fields.optional('referenceId'),
    salt: fields.bytes('salt', false),
    aad: fields.bytes('aad', false),
  }) as { applicationId: string; referenceId?: string; salt?: Uint8Array; aad?: Uint8Array };
}

async function encrypt({ kms, caller, fields }: MosipCall): Promise<unknown> {
  const input = common(fields);
  const data = fields.bytes('data', true, KER_INVALID_DATA);
  const prependThumbprint = fields.flag('prependThumbprint');
  const { ciphertext } = await kms.keyringEncrypt(
    { ...input, data, ...(prependThumbprint === undefined ? {} : { prependThumbprint }) },
    caller,
  );
  return { data: encodeMosipBase64(ciphertext) };
}

async function decrypt({ kms, caller, fields }: MosipCall): Promise<unknown> {
  const input = common(fields);
  const ciphertext = fields.bytes('data', true, KER_INVALID_DATA);
  const { plaintext } = await kms.keyringDecrypt({ ...input, ciphertext }, caller);
  return { data: encodeMosipBase64(plaintext) };
}

/** CryptomanagerController's endpoints. */
export const CRYPTO_ENDPOINTS: readonly MosipEndpoint[] = [
  { method: 'POST', path: '/encrypt', handle: encrypt },
  { method: 'POST', path: '/decrypt', handle: decrypt },
];
