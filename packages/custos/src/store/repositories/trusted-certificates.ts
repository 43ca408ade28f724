// Repository for the trust store's anchors (TrustedCertificateRecord), row-MAC'd, paged by creation.
// Must not import service or api; rows are mapped to records here and never returned.
import { ConflictError } from '@custos/contract';
import { isUniqueViolation } from '../dialect.js';
import type { TrustedCertificateRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { Page, TrustedCertificateRecord } from '../types.js';
import { checkRow, withMac } from './authenticated.js';
import { ms, num, toDate } from './convert.js';
import { checkLimit, decodeCursor, toPage, type PageRequest } from './page.js';

const reader =
  (db: Db) =>
  (row: TrustedCertificateRow): TrustedCertificateRecord => {
    checkRow(db, 'trusted_certificates', row.id, row);
    return {
      id: row.id,
      domain: row.domain,
      thumbprint: row.thumbprint,
      subject: row.subject,
      issuer: row.issuer,
      notBefore: toDate(row.not_before),
      notAfter: toDate(row.not_after),
      certificate: row.certificate,
      createdAt: toDate(row.created_at),
    };
  };

/** Inserts the anchor; ALREADY_EXISTS when the domain already pins the same certificate. */
export async function insert(db: Db, record: TrustedCertificateRecord): Promise<void> {
  try {
    await db
      .insertInto('trusted_certificates')
      .values(
        withMac(db, 'trusted_certificates', {
          id: record.id,
          domain: record.domain,
          thumbprint: record.thumbprint,
          subject: record.subject,
          issuer: record.issuer,
          not_before: ms(record.notBefore),
          not_after: ms(record.notAfter),
          certificate: record.certificate,
          created_at: ms(record.createdAt),
        }),
      )
      .execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`the trust domain ${record.domain} already holds this certificate`);
    throw err;
  }
}

/** Deletes the anchor; false when there was none with this id. */
export async function remove(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('trusted_certificates').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Every anchor of a domain (the path builder's candidates). */
export async function inDomain(db: Db, domain: string): Promise<TrustedCertificateRecord[]> {
  const rows = await db
    .selectFrom('trusted_certificates')
    .selectAll()
    .where('domain', '=', domain)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(reader(db));
}

type Cursor = [number, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string';

/** Anchors oldest first, of one domain or all; invalid `after` → INVALID_MARKER. */
export async function list(
  db: Db,
  request: PageRequest & { readonly domain?: string | undefined },
): Promise<Page<TrustedCertificateRecord>> {
  const limit = checkLimit(request.limit);
  let query = db.selectFrom('trusted_certificates').selectAll();
  if (request.domain !== undefined) query = query.where('domain', '=', request.domain);
  if (request.after !== undefined) {
    const [createdAt, id] = decodeCursor(request.after, isCursor);
    query = query.where((eb) =>
      eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]),
    );
  }
  const rows = await query
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, reader(db), (row): Cursor => [num(row.created_at), row.id]);
}
