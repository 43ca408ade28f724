// GenerateRandom: bytes from the CSPRNG.
import { randomBytes } from 'node:crypto';
import type { GenerateRandomRequest, GenerateRandomResponse } from '@custos/contract';
import type { OpContext } from '../context.js';

export async function generateRandom(_ctx: OpContext, input: GenerateRandomRequest): Promise<GenerateRandomResponse> {
  return { plaintext: new Uint8Array(randomBytes(input.numberOfBytes ?? 32)) };
}
