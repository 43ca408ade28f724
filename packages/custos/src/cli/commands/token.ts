// `custos token create|list|revoke`: bearer tokens for principals (the token itself is shown once, at creation).
// Must not import the store, service or api.
import { ROLES, type Role } from '@custos/contract';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { addGlobalOptions, collectRole, listAll, withKms, collectKeyValue } from '../options.js';
import { printFields, printResult, printTable } from '../output.js';
import { serves } from '../serves.js';

interface CreateOptions {
  role?: Role[];
  tag?: Record<string, string>;
  principal?: string;
  description?: string;
  expiresAt?: string;
  expiresIn?: string;
}

const DURATION_UNITS: Record<'s' | 'm' | 'h' | 'd', number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--expires-at <ISO date>` or `--expires-in 30d` (s, m, h, d). */
function expiry(o: CreateOptions, now = Date.now()): Date | undefined {
  if (o.expiresAt !== undefined && o.expiresIn !== undefined)
    throw new UsageError('give --expires-at or --expires-in, not both');
  if (o.expiresAt !== undefined) {
    const at = new Date(o.expiresAt);
    if (Number.isNaN(at.getTime())) throw new UsageError(`--expires-at expects an ISO 8601 date, got '${o.expiresAt}'`);
    return at;
  }
  if (o.expiresIn !== undefined) {
    const m = /^(\d+)([smhd])$/.exec(o.expiresIn);
    if (!m) throw new UsageError(`--expires-in expects e.g. 90m, 12h or 30d, got '${o.expiresIn}'`);
    return new Date(now + Number(m[1]) * DURATION_UNITS[m[2] as keyof typeof DURATION_UNITS]);
  }
  return undefined;
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('manage bearer tokens');

  const create = serves(token.command('create'), 'createToken')
    .description('create a token; it is printed once and cannot be shown again')
    .addOption(
      new Option(
        '--role <role>',
        `role (repeatable; none: only what key policies and grants allow): ${ROLES.join(', ')}`,
      ).argParser(collectRole),
    )
    .option('--principal <name>', 'principal the token acts as (default: chosen by the server)')
    .option('--description <text>', 'description')
    .option('--tag <key=value>', 'principal tag (repeatable): aws:PrincipalTag/<key> in key policies', collectKeyValue)
    .option('--expires-at <date>', 'expiry, ISO 8601')
    .option('--expires-in <duration>', 'expiry from now: 90m, 12h, 30d');
  addGlobalOptions(create).action((o: CreateOptions, cmd: Command) => {
    const expiresAt = expiry(o);
    return withKms(cmd, async (kms, g) => {
      const result = await kms.createToken({
        roles: o.role ?? [],
        ...(o.principal !== undefined && { principal: o.principal }),
        ...(o.description !== undefined && { description: o.description }),
        ...(o.tag !== undefined && { tags: o.tag }),
        ...(expiresAt && { expiresAt }),
      });
      printResult(g.json, result, (r) => {
        printFields([
          ['Token', r.token],
          ['TokenId', r.tokenId],
          ['Principal', r.principal],
          ['Roles', r.roles],
          ['CreatedAt', r.createdAt],
          ['ExpiresAt', r.expiresAt],
        ]);
      });
    });
  });

  const list = serves(token.command('list'), 'listTokens').description('list tokens (never their secrets)');
  addGlobalOptions(list).action((_o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const tokens = await listAll(
        (marker) => kms.listTokens({ ...(marker && { marker }) }),
        (page) => page.tokens,
      );
      printResult(g.json, { tokens }, ({ tokens: rows }) => {
        printTable(rows, [
          { header: 'TOKEN ID', value: (t) => t.tokenId },
          { header: 'PRINCIPAL', value: (t) => t.principal },
          { header: 'ROLES', value: (t) => t.roles },
          { header: 'CREATED', value: (t) => t.createdAt },
          { header: 'EXPIRES', value: (t) => t.expiresAt },
          { header: 'REVOKED', value: (t) => t.revokedAt },
          { header: 'LAST USED', value: (t) => t.lastUsedAt },
          { header: 'DESCRIPTION', value: (t) => t.description },
        ]);
      });
    }),
  );

  const revoke = serves(token.command('revoke'), 'revokeToken')
    .description('revoke a token')
    .argument('<tokenId>', 'the token id (not the token)');
  addGlobalOptions(revoke).action((tokenId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.revokeToken({ tokenId });
      printResult(g.json, { tokenId, revoked: true }, () => process.stdout.write(`token ${tokenId} revoked\n`));
    }),
  );
}
