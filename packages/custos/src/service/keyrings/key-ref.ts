// The key a keyring reference names (`keyring/<APP>/<REF>`, `keyring/<APP>` for the master key): the newest current
// generation that has a Custos key, else the newest generation with one (a keyring past renewal still names a key
// until its next use), else KEY_NOT_FOUND. Never generates: resolving a name changes nothing. Must not import api.
import { NotFoundError } from '@custos/contract';
import type { Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import { isCurrent } from './rings.js';

export async function keyringKeyId(
  db: Db,
  ring: { readonly applicationId: string; readonly referenceId: string },
  now: Date,
): Promise<string> {
  const entries = (await repo.keyringKeys.ofKeyring(db, ring.applicationId, ring.referenceId)).filter(
    (e) => e.keyId !== null,
  );
  const policy = await repo.keyringPolicies.get(db, ring.referenceId === '' ? ring.applicationId : 'BASE');
  const pre = policy?.preExpireDays ?? 0;
  const chosen = entries.find((e) => isCurrent(e, pre, now)) ?? entries[0];
  if (!chosen?.keyId)
    throw new NotFoundError(
      `keyring ${ring.applicationId}/${ring.referenceId} has no key yet`.replace(/\/$/, ''),
      'KEY_NOT_FOUND',
    );
  return chosen.keyId;
}
