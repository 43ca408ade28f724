// The shape of one MOSIP endpoint handler and what it is given. Must not be imported by service, store, keystore or
// core.
import type { Caller, Kms } from '@custos/contract';
import type { Fields } from './fields.js';

/** What a handler gets: the Kms, the authenticated caller, the request's fields, path parameters, the clock. */
export interface MosipCall {
  readonly kms: Kms;
  readonly caller: Caller;
  readonly fields: Fields;
  readonly params: Readonly<Record<string, string>>;
  readonly now: Date;
}

/** One served endpoint: GET reads the query string, POST and PUT the RequestWrapper's `request`. */
export interface MosipEndpoint {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Relative to /v1/keymanager, Fastify syntax (`/generateMasterKey/:objectType`). */
  readonly path: string;
  readonly handle: (call: MosipCall) => Promise<unknown>;
}

/** The object without its undefined fields (exactOptionalPropertyTypes: absent, not undefined). */
export function defined<T extends Record<string, unknown>>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
