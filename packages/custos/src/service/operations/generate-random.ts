// GenerateRandom: bytes from the CSPRNG.
import { randomBytes } from 'node:crypto';
import type { GenerateRandomRequest, GenerateRandomResponse } from '@custos/contract';
import { refuseUnsupported } from '../rules.js';
import type { OpContext } from '../context.js';

export async function generateRandom(_ctx: OpContext, input: GenerateRandomRequest): Promise<GenerateRandomResponse> {
  refuseUnsupported(input, ['customKeyStoreId', 'recipient']);
  return { plaintext: new Uint8Array(randomBytes(input.numberOfBytes ?? 32)) };
}
