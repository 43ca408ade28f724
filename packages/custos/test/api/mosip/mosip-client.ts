// A MOSIP key manager client written from the spec (docs: mosip/keymanager KeymanagerController, CryptomanagerController,
// SignatureController; mosip/commons RequestWrapper/ResponseWrapper): plain fetch, the envelopes by hand, nothing
// from Custos's sources. Test helper.
import { expect } from 'vitest';
import type { TestApp } from '../helpers.js';

/** MOSIP's ResponseWrapper. */
export interface MosipReply<T = Record<string, unknown>> {
  readonly status: number;
  readonly id: string | null;
  readonly version: string | null;
  readonly responsetime: string;
  readonly metadata: null;
  readonly response: T | null;
  readonly errors: { errorCode: string; message: string }[] | null;
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` (Java's DateTimeFormatter pattern, UTC). */
export const mosipNow = (): string => new Date().toISOString();
export const MOSIP_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Java's Base64.getUrlEncoder(): base64url with `=` padding. */
export const urlB64 = (bytes: Uint8Array | string): string => {
  const text = Buffer.from(bytes).toString('base64url');
  return text + '='.repeat((4 - (text.length % 4)) % 4);
};

export class MosipClient {
  constructor(
    private readonly base: string,
    private readonly token: string | undefined,
  ) {}

  /** Calls a path under /v1/keymanager; `request` goes in a RequestWrapper, `query` on the URL. */
  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    request?: Record<string, unknown>,
    query?: Record<string, string>,
  ): Promise<MosipReply<T>> {
    const url = new URL(`${this.base}/v1/keymanager${path}`);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    const body =
      request === undefined
        ? undefined
        : JSON.stringify({ id: `mosip.test${path}`, version: '1.0', requesttime: mosipNow(), metadata: {}, request });
    const res = await fetch(url, {
      method,
      headers: {
        ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return { status: res.status, ...((await res.json()) as Omit<MosipReply<T>, 'status'>) };
  }

  post<T = Record<string, unknown>>(path: string, request: Record<string, unknown>): Promise<MosipReply<T>> {
    return this.call<T>('POST', path, request);
  }

  get<T = Record<string, unknown>>(path: string, query: Record<string, string>): Promise<MosipReply<T>> {
    return this.call<T>('GET', path, undefined, query);
  }
}

/** Asserts a success ResponseWrapper and returns its `response`. */
export function ok<T>(reply: MosipReply<T>): T {
  expect({ status: reply.status, errors: reply.errors }, JSON.stringify(reply)).toEqual({ status: 200, errors: null });
  expect(reply.responsetime).toMatch(MOSIP_TIME);
  expect(reply.metadata).toBeNull();
  expect(reply.response).not.toBeNull();
  return reply.response as T;
}

/** Asserts an error ResponseWrapper with this MOSIP code (and HTTP status, 200 by default); returns the message. */
export function mosipError(reply: MosipReply<unknown>, errorCode: string, status = 200): string {
  expect({ status: reply.status, code: reply.errors?.[0]?.errorCode }, JSON.stringify(reply)).toEqual({
    status,
    code: errorCode,
  });
  expect(reply.response).toBeNull();
  expect(reply.metadata).toBeNull();
  expect(reply.responsetime).toMatch(MOSIP_TIME);
  expect(reply.errors).toHaveLength(1);
  return reply.errors?.[0]?.message ?? '';
}

/** Listens on a free port; returns the base URL. */
export async function listen(t: TestApp): Promise<string> {
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return address;
}
