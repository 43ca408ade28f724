// Re-certification after a forced replacement (GenerateKeyringMasterKey with force): the current keys that hang
// below the new ROOT or Module key get a new certificate signed by it, as a new generation entry of the same key, so
// the old certificate's thumbprint still finds the key for ciphertexts made before. Must not import api.
import { randomUUID } from 'node:crypto';
import { createCertificate } from '../../core/certificates/issue.js';
import { parseCertificate, pemOf } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyringKeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import type { Level } from './generate.js';
import { DAY_MS, isCurrent, laterThan, thumbprintOf, uniqueIdentifier, validityPolicy } from './rings.js';

/** A new certificate for a key below a replaced level, and its chain. */
export interface Recertified {
  readonly entry: KeyringKeyRecord;
  readonly chain: readonly string[];
}

/** New certificates, signed by `level`, for the current keys of the level below it (Module keys below ROOT, Base keys below a Module key). */
export async function recertifyBelow(ctx: OpContext, level: Level): Promise<Recertified[]> {
  if (level.entry.kind === 'BASE') return [];
  const below = await repo.keyringKeys.ofKind(ctx.store.db, level.entry.kind === 'ROOT' ? 'MASTER' : 'BASE');
  const now = ctx.now();
  const done = new Set<string>();
  const out: Recertified[] = [];
  const signer = await level.signer();
  for (const entry of below) {
    const ringKey = `${entry.applicationId}/${entry.referenceId}`;
    if (done.has(ringKey) || entry.keyId === null || entry.certificate === null) continue;
    if (level.entry.kind === 'MASTER' && entry.applicationId !== level.ring.applicationId) continue;
    const policy = await validityPolicy(ctx.store.db, entry);
    if (!isCurrent(entry, policy.preExpireDays, now)) continue;
    done.add(ringKey);
    const old = parseCertificate(entry.certificate);
    const certificate = await createCertificate(
      { certificate: level.certificate, signer },
      {
        publicKey: new Uint8Array(old.publicKey.rawData),
        subject: old.subjectName,
        validityDays: (entry.expiresAt.getTime() - now.getTime()) / DAY_MS,
        isCa: entry.kind !== 'BASE',
        pathLength: entry.kind === 'MASTER' ? 0 : undefined,
        now,
      },
    );
    const pem = pemOf(certificate);
    const thumbprint = thumbprintOf(pem);
    out.push({
      entry: {
        ...entry,
        id: randomUUID(),
        certificate: pem,
        thumbprint,
        uniqueIdentifier: uniqueIdentifier(entry, thumbprint),
        createdAt: laterThan(entry.createdAt, now),
      },
      chain: [pem, ...level.chain],
    });
  }
  return out;
}
