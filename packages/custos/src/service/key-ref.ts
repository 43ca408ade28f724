// Parses the ways a caller can name a key (id, key ARN, alias name, alias ARN, keyring reference) and formats ARNs.
// Must not import api.
import { NotFoundError, ValidationError } from '@custos/contract';
import { isUuid } from '../core/uuid.js';
import type { ServiceConfig } from './context.js';

const ALIAS = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const ARN = /^arn:aws[a-z-]*:kms:([^:]*):([^:]*):(key|alias)\/(.+)$/;

/** `keyring/<APP>/<REF>` (the current key of a keyring) or `keyring/<APP>` (its master key; ROOT: the root key). */
const KEYRING = /^keyring\/([A-Za-z0-9_.-]{1,36})(?:\/([A-Za-z0-9_.-]{1,128}))?$/;

export type KeyRef =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'alias'; readonly name: string }
  | { readonly kind: 'keyring'; readonly applicationId: string; readonly referenceId: string };

/** Parses a key reference; an ARN for another region or account names no key here. */
export function parseKeyRef(value: string, config: ServiceConfig): KeyRef {
  if (isUuid(value)) return { kind: 'id', id: value.toLowerCase() }; // the common case first
  const arn = ARN.exec(value);
  if (arn) {
    const [, region, account, kind, rest] = arn as unknown as [string, string, string, string, string];
    if (region !== config.region || account !== config.accountId)
      throw new NotFoundError(`key not found: ${value}`, 'KEY_NOT_FOUND');
    return parseKeyRef(kind === 'alias' ? `alias/${rest}` : rest, config);
  }
  if (value.startsWith('alias/')) {
    if (!ALIAS.test(value)) throw new ValidationError(`invalid alias name: ${value}`, 'INVALID_ALIAS_NAME');
    return { kind: 'alias', name: value };
  }
  if (value.startsWith('keyring/')) {
    const ring = KEYRING.exec(value);
    if (!ring) throw new ValidationError(`invalid keyring reference: ${value}`);
    return { kind: 'keyring', applicationId: ring[1] ?? '', referenceId: ring[2] ?? '' };
  }
  throw new NotFoundError(`key not found: ${value}`, 'KEY_NOT_FOUND');
}

/** Checks a name for CreateAlias/UpdateAlias: the `alias/` form, and not the reserved `alias/aws/` prefix. */
export function checkAliasName(name: string): void {
  if (!ALIAS.test(name)) throw new ValidationError(`invalid alias name: ${name}`, 'INVALID_ALIAS_NAME');
  if (name.startsWith('alias/aws/'))
    throw new ValidationError('alias names starting with alias/aws/ are reserved', 'INVALID_ALIAS_NAME');
}

export function keyArn(config: ServiceConfig, id: string): string {
  return `arn:aws:kms:${config.region}:${config.accountId}:key/${id}`;
}

export function aliasArn(config: ServiceConfig, name: string): string {
  return `arn:aws:kms:${config.region}:${config.accountId}:${name}`;
}
