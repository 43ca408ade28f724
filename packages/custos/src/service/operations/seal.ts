// Unseal and Seal (internal: the sealed server's gate runs them): the audit records of a server's root key entering
// and leaving memory. No share, and nothing derived from one, is recorded. Must not import api.
import { defineInternalOperation } from '../define-operation.js';

/** Recorded by the node that just unsealed, as its first record (the log is only writable once unsealed). */
export const unsealed = defineInternalOperation(
  'Unseal',
  { access: 'audit', states: null },
  async (ctx, input: { readonly rootOfTrust: string }): Promise<Record<string, never>> => {
    ctx.audit.details = { rootOfTrust: input.rootOfTrust };
    return Promise.resolve({});
  },
);

/**
 * Recorded before the node seals, as the caller who asked. `tokens` access: a right only `admin` holds by default,
 * as sealing stops the node for every caller.
 */
export const sealing = defineInternalOperation(
  'Seal',
  { access: 'tokens', states: null },
  async (ctx, input: { readonly rootOfTrust: string }): Promise<Record<string, never>> => {
    ctx.audit.details = { rootOfTrust: input.rootOfTrust };
    return Promise.resolve({});
  },
);
