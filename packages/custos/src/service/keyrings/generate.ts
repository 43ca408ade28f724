// Generating a keyring's keys on first use, on renewal and on force (MOSIP KeymanagerServiceImpl): the ROOT key
// (self-signed), Module keys (certified by ROOT) and Base keys (certified and wrapped by their Module key), RSA-2048;
// ROOT and Module keys in the root's PKCS#11 token when there is one. Everything a call makes is written in its one
// transaction under a cluster-wide lock, after checking no other node made the same keyring's key meanwhile.
// Must not import api.
import { randomUUID } from 'node:crypto';
import type { KeyringSubject, KeyUsage } from '@custos/contract';
import { createCertificate } from '../../core/certificates/issue.js';
import type { CertificateSigner } from '../../core/certificates/signer.js';
import { parseCertificate, pemOf, type x509 } from '../../core/certificates/x509.js';
import { keySpec } from '../../core/key-specs.js';
import { lockInTransaction } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord, KeyVersionRecord, KeyringKeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { destroyHsmObject } from '../hsm/keys.js';
import { newKeyRecord } from '../key-loading.js';
import { currentGeneration } from './current.js';
import { ringSigner, softwareKey, tokenKey } from './key-pairs.js';
import { recertifyBelow, type Recertified } from './recertify.js';
import {
  DAY_MS,
  levelOf,
  parentOf,
  subjectOf,
  thumbprintOf,
  uniqueIdentifier,
  validityPolicy,
  type Ring,
} from './rings.js';

const SPEC = keySpec('RSA_2048');

/** A level of the hierarchy as the generation of the level below needs it. */
export interface Level {
  readonly ring: Ring;
  readonly entry: KeyringKeyRecord;
  readonly key: KeyRecord;
  readonly certificate: x509.X509Certificate;
  /** PEM certificates, this level's first, the root's last. */
  readonly chain: readonly string[];
  readonly publicKey: Uint8Array;
  readonly hsm: boolean;
  signer(): Promise<CertificateSigner>;
}

/** A key made by this call, written at the end. */
interface Made {
  readonly key: KeyRecord;
  readonly version: KeyVersionRecord;
  readonly entry: KeyringKeyRecord;
  readonly chain: readonly string[];
}

/** What one call makes, and what it saw of each keyring it made a key for (to detect another node's key). */
class Plan {
  readonly made: Made[] = [];
  readonly recertified: Recertified[] = [];
  readonly seen = new Map<string, { ring: Ring; ids: Set<string> }>();
}

export interface EnsureOptions {
  /** Replace the current key of the ring itself (not of the levels above). */
  readonly force?: boolean;
  readonly subject?: KeyringSubject | undefined;
}

/**
 * The current level of `ring`, made (with the levels above it that are not current) when there is none or `force`;
 * everything made is written in the call's transaction. The caller has checked the policy exists and allows use.
 */
export async function ensureLevel(ctx: OpContext, ring: Ring, options: EnsureOptions = {}): Promise<Level> {
  const plan = new Plan();
  const level = await resolve(ctx, ring, plan, options.force === true, options.subject);
  if (options.force === true) plan.recertified.push(...(await recertifyBelow(ctx, level)));
  if (plan.made.length === 0) return level;
  ctx.audit.keyId = level.key.id; // the record committed with the keys names the one asked for
  const lost = await write(ctx, plan);
  if (!lost) return level;
  // Another node made this keyring's key first: ours is dropped, theirs is current.
  await Promise.all(plan.made.map((m) => destroyHsmObject(ctx, m.version).catch(() => undefined)));
  return resolve(ctx, ring, new Plan(), false, options.subject);
}

async function resolve(
  ctx: OpContext,
  ring: Ring,
  plan: Plan,
  force: boolean,
  subject: KeyringSubject | undefined,
): Promise<Level> {
  const db = ctx.store.db;
  const policy = await validityPolicy(db, ring);
  const now = ctx.now();
  const level = levelOf(ring);
  const current = force ? undefined : await currentGeneration(db, ring, [level], policy.preExpireDays, now);
  if (current?.key) return existingLevel(ctx, ring, current.entry, current.key);
  const entries = await repo.keyringKeys.ofKeyring(db, ring.applicationId, ring.referenceId);
  plan.seen.set(`${ring.applicationId}/${ring.referenceId}`, { ring, ids: new Set(entries.map((e) => e.id)) });
  const parentRing = parentOf(ring);
  const parent = parentRing ? await resolve(ctx, parentRing, plan, false, undefined) : null;
  return makeLevel(ctx, ring, parent, plan, policy.validityDays, subject);
}

/** A level whose key exists: its certificate from its entry, its chain from the key's certificate chain. */
async function existingLevel(ctx: OpContext, ring: Ring, entry: KeyringKeyRecord, key: KeyRecord): Promise<Level> {
  const pem = entry.certificate ?? '';
  const stored = await repo.keyCertificates.get(ctx.store.db, key.id);
  const certificate = parseCertificate(pem, `the certificate of keyring ${ring.applicationId}/${ring.referenceId}`);
  return {
    ring,
    entry,
    key,
    certificate,
    chain: stored?.chain[0] === pem ? stored.chain : [pem],
    publicKey: new Uint8Array(certificate.publicKey.rawData),
    hsm: key.protectionLevel === 'HSM',
    signer: () => ringSigner(ctx, key),
  };
}

async function makeLevel(
  ctx: OpContext,
  ring: Ring,
  parent: Level | null,
  plan: Plan,
  validityDays: number,
  subject: KeyringSubject | undefined,
): Promise<Level> {
  const level = levelOf(ring);
  const now = ctx.now();
  const id = randomUUID();
  // A Base certificate does not outlive the Module certificate that signs it.
  const days = parent
    ? Math.min(validityDays, (parent.entry.expiresAt.getTime() - now.getTime()) / DAY_MS)
    : validityDays;
  const hsm = level !== 'BASE' && ctx.hsmTokens?.hasRootToken === true;
  const usage: KeyUsage = level === 'BASE' ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY';
  const { version, signer } = hsm
    ? await tokenKey(ctx, id, now)
    : await softwareKey(ctx, id, now, level === 'BASE' ? parent : null);
  const issuer = parent
    ? { certificate: parent.certificate, signer: await parent.signer() }
    : { certificate: null, signer };
  const certificate = await createCertificate(issuer, {
    publicKey: signer.publicKey,
    subject: subjectOf(ring, subject),
    validityDays: days,
    isCa: level !== 'BASE',
    pathLength: level === 'ROOT' ? 1 : level === 'MASTER' ? 0 : undefined,
    now,
  });
  const pem = pemOf(certificate);
  const chain = [pem, ...(parent?.chain ?? [])];
  const key = newKeyRecord(now, {
    id,
    spec: SPEC.name,
    usage,
    state: 'Enabled',
    origin: 'AWS_KMS',
    latestVersion: 1,
    protectionLevel: hsm ? 'HSM' : 'SOFTWARE',
    description: `keyring ${ring.applicationId}/${ring.referenceId} (${level})`,
    applicationId: ring.applicationId,
    referenceId: ring.referenceId,
  });
  const entry: KeyringKeyRecord = {
    id: randomUUID(),
    applicationId: ring.applicationId,
    referenceId: ring.referenceId,
    kind: level,
    keyId: id,
    certificate: pem,
    thumbprint: thumbprintOf(pem),
    uniqueIdentifier: uniqueIdentifier(ring, now),
    generatedAt: now,
    expiresAt: new Date(now.getTime() + days * DAY_MS),
    createdAt: now,
  };
  plan.made.push({ key, version, entry, chain });
  return {
    ring,
    entry,
    key,
    certificate,
    chain,
    publicKey: signer.publicKey,
    hsm,
    signer: () => Promise.resolve(signer),
  };
}

/** Writes what the plan made, unless another node made a key for one of its keyrings meanwhile (then: true). */
async function write(ctx: OpContext, plan: Plan): Promise<boolean> {
  return ctx.transaction(async (tx) => {
    await lockInTransaction(tx, 'keyrings');
    for (const { ring, ids } of plan.seen.values()) {
      const entries = await repo.keyringKeys.ofKeyring(tx, ring.applicationId, ring.referenceId);
      if (entries.some((e) => !ids.has(e.id))) return true;
    }
    const now = ctx.now();
    for (const m of plan.made) {
      await repo.keys.insert(tx, m.key);
      await repo.keyVersions.insert(tx, m.version);
      await repo.keyCertificates.put(tx, { keyId: m.key.id, keyVersion: 1, chain: [...m.chain] }, now);
      await repo.keyringKeys.insert(tx, m.entry);
    }
    for (const r of plan.recertified) {
      await repo.keyringKeys.insert(tx, r.entry);
      if (r.entry.keyId)
        await repo.keyCertificates.put(tx, { keyId: r.entry.keyId, keyVersion: 1, chain: [...r.chain] }, now);
    }
    ctx.audit.details = {
      ...ctx.audit.details,
      generated: plan.made.map((m) => ({
        applicationId: m.entry.applicationId,
        referenceId: m.entry.referenceId,
        level: m.entry.kind,
        keyId: m.key.id,
        thumbprint: m.entry.thumbprint,
      })),
      ...(plan.recertified.length > 0 ? { recertified: plan.recertified.map((r) => r.entry.keyId) } : {}),
    };
    return false;
  });
}
