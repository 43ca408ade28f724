// WhoAmI (Custos): the caller's principal and roles, and what the roles permit: the kinds of access (lifecycle.ts's
// ROLE_GRANTS) and the operations that need one of them, and the server's version and node. Any authenticated caller
// may ask (access `self`).
// Must not import api.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { whoAmIOperation, type WhoAmIResponse } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { ROLE_GRANTS, type Access } from '../lifecycle.js';
import { SERVICE_OPERATIONS } from './index.js';

/** This package's version (package.json is three folders up from src/ and from dist/ alike). */
const VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const whoAmI = defineOperation(
  whoAmIOperation,
  { access: 'self', states: null },
  async (ctx): Promise<WhoAmIResponse> => {
    const granted = new Set<Access>(['self']);
    for (const role of ctx.caller.roles) {
      if (Object.hasOwn(ROLE_GRANTS, role)) for (const access of ROLE_GRANTS[role]) granted.add(access);
    }
    // Read when called, not when loaded: the registry imports this file.
    const registry: readonly { readonly name: string; readonly access: Access }[] = Object.values(SERVICE_OPERATIONS);
    const operations = registry
      .filter((operation) => granted.has(operation.access))
      .map((operation) => operation.name)
      .sort();
    return {
      principal: ctx.caller.principal,
      roles: [...ctx.caller.roles],
      access: [...granted].filter((access) => access !== 'self').sort(),
      operations,
      server: { version: VERSION, node: `${hostname()}/${process.pid}` },
    };
  },
);
