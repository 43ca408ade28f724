// The facts of one call that key policy conditions read (AWS KMS condition keys, docs/authorization.md): taken from
// the request (`ctx.input`), the key, the caller and the clock. Lazily: a policy reads a handful. Must not import api.
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { parseKeyRef } from '../key-ref.js';
import { principalArn } from './principals.js';

/** A condition key's value: one string, a set of strings (multivalued keys), or absent. */
export type FactValue = string | readonly string[] | undefined;

/** What the evaluator knows of a call: the caller's ARN, the request's encryption context, and every condition key. */
export interface RequestFacts {
  readonly principalArn: string;
  readonly encryptionContext: Readonly<Record<string, string>> | undefined;
  /** The value of condition key `name`, given in lower case (condition keys are case-insensitive in AWS). */
  get(name: string): FactValue;
}

type Input = Readonly<Record<string, unknown>>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The request fields holding the key reference, the context and the algorithm, per action (ReEncrypt has two). */
function fieldsOf(action: string): { ref: string; context: string; algorithm: string } {
  if (action === 'kms:ReEncryptFrom')
    return { ref: 'sourceKeyId', context: 'sourceEncryptionContext', algorithm: 'sourceEncryptionAlgorithm' };
  if (action === 'kms:ReEncryptTo')
    return {
      ref: 'destinationKeyId',
      context: 'destinationEncryptionContext',
      algorithm: 'destinationEncryptionAlgorithm',
    };
  return { ref: 'keyId', context: 'encryptionContext', algorithm: 'encryptionAlgorithm' };
}

/**
 * The facts of this call on `key` for `action` (`kms:Encrypt`). `resourceAliases` are the key's aliases, when the
 * policy reads `kms:ResourceAliases` (the caller loads them: the evaluator does no I/O).
 */
export function requestFacts(
  ctx: OpContext,
  key: KeyRecord,
  action: string,
  resourceAliases: readonly string[] = [],
): RequestFacts {
  const input: Input = ctx.input !== null && typeof ctx.input === 'object' ? (ctx.input as Input) : {};
  const fields = fieldsOf(action);
  const context = input[fields.context] as Record<string, string> | undefined;
  const arn = principalArn(ctx.config.accountId, ctx.caller.principal);
  const tags = ctx.caller.tags ?? {};
  const constraints = input.constraints as
    { encryptionContextEquals?: object; encryptionContextSubset?: object } | undefined;
  const simple: Record<string, () => FactValue> = {
    'kms:encryptionalgorithm': () =>
      str(input[fields.algorithm]) ?? (action.endsWith('crypt') ? 'SYMMETRIC_DEFAULT' : undefined),
    'kms:signingalgorithm': () => str(input.signingAlgorithm),
    'kms:macalgorithm': () => str(input.macAlgorithm),
    'kms:messagetype': () => str(input.messageType),
    'kms:requestalias': () => requestAlias(ctx, str(input[fields.ref])),
    'kms:resourcealiases': () => resourceAliases,
    'kms:keyspec': () => key.spec,
    'kms:keyusage': () => key.usage,
    'kms:keyorigin': () => key.origin,
    'kms:calleraccount': () => ctx.config.accountId,
    'kms:encryptioncontextkeys': () => (context ? Object.keys(context) : undefined),
    'kms:grantoperations': () => (Array.isArray(input.operations) ? (input.operations as string[]) : undefined),
    'kms:grantisforawsresource': () => (action === 'kms:CreateGrant' ? 'false' : undefined),
    'kms:granteeprincipal': () => str(input.granteePrincipal),
    'kms:retiringprincipal': () => str(input.retiringPrincipal),
    'kms:grantconstrainttype': () =>
      constraints?.encryptionContextEquals
        ? 'EncryptionContextEquals'
        : constraints?.encryptionContextSubset
          ? 'EncryptionContextSubset'
          : undefined,
    'aws:principalarn': () => arn,
    'aws:sourceip': () => ctx.caller.sourceIp,
    'aws:currenttime': () => ctx.now().toISOString(),
    'aws:epochtime': () => String(Math.floor(ctx.now().getTime() / 1000)),
  };
  return {
    principalArn: arn,
    encryptionContext: context,
    get(name) {
      const known = simple[name];
      if (known) return known();
      if (name.startsWith('kms:encryptioncontext:')) return contextValue(context, name.slice(22));
      if (name.startsWith('aws:principaltag/')) return lowerLookup(tags, name.slice(17));
      return undefined;
    },
  };
}

/** `kms:EncryptionContext:<key>`: the context key is matched case-insensitively, as the condition key's name is. */
function contextValue(context: Readonly<Record<string, string>> | undefined, lowerKey: string): string | undefined {
  return context ? lowerLookup(context, lowerKey) : undefined;
}

function lowerLookup(map: Readonly<Record<string, string>>, lowerKey: string): string | undefined {
  for (const [k, v] of Object.entries(map)) if (k.toLowerCase() === lowerKey) return v;
  return undefined;
}

/** The alias the request named the key by (`alias/…`, also from an alias ARN), or none. */
function requestAlias(ctx: OpContext, reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  try {
    const ref = parseKeyRef(reference, ctx.config);
    return ref.kind === 'alias' ? ref.name : undefined;
  } catch {
    return undefined;
  }
}
