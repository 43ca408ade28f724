// The lint rule for layer boundaries (eslint.config.js, STYLE.md §1): a wrong import in a string fails to lint.
// Must not import the sources: it lints text under their paths, with the repository's own ESLint config.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

// The repository's config, without the type-aware rules (they need a program; the boundary rule does not).
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
  ruleFilter: ({ ruleId }) => ruleId === '@typescript-eslint/no-restricted-imports',
});

async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${file}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

describe('layer boundaries (lint)', () => {
  it.each([
    ['packages/custos/src/core/any.ts', "import { openStore } from '../store/index.js';"],
    ['packages/custos/src/core/algorithms/any.ts', "import type { KeyService } from '../../service/key-service.js';"],
    ['packages/custos/src/core/any.ts', "import { readFile } from 'node:fs/promises';"],
    ['packages/custos/src/core/any.ts', "import { Kysely } from 'kysely';"],
    ['packages/custos/src/keystore/file/any.ts', "import { openStore } from '../../store/index.js';"],
    ['packages/custos/src/store/repositories/any.ts', "import { x } from '../../keystore/file/index.js';"],
    ['packages/custos/src/store/any.ts', "import { x } from '../service/index.js';"],
    ['packages/custos/src/service/operations/any.ts', "import { buildApp } from '../../api/app.js';"],
    ['packages/custos/src/service/any.ts', "export { main } from '../cli/main.js';"],
    ['packages/custos/src/api/routes/v1/any.ts', "import { openStore } from '../../../store/index.js';"],
    ['packages/custos/src/api/any.ts', "import { x } from '../keystore/file/index.js';"],
    ['packages/custos/src/cli/commands/any.ts', "import { LocalKms } from '../../service/local-kms.js';"],
    ['packages/custos/src/cli/any.ts', "import { SecretBytes } from '../core/secret-bytes.js';"],
    ['packages/custos/src/cli/commands/any.ts', "import { startServer } from '../../api/server.js';"],
    [
      'packages/custos/src/cli/commands/any.ts',
      "import { startServer, type ServerOptions } from '../../api/server.js';",
    ],
    ['packages/custos/src/cli/commands/any.ts', "import type { StoreOptions } from '../../store/options.js';"],
    ['packages/contract/src/any.ts', "import { randomBytes } from 'node:crypto';"],
    ['packages/client/src/any.ts', "import { Type } from '@sinclair/typebox';"],
    ['packages/client/src/any.ts', "import { request } from 'node:https';"],
    ['packages/client/src/any.ts', "import { createCipheriv } from 'node:crypto';"],
    ['packages/client/src/stream.ts', "import { request } from 'node:https';"],
  ])('%s may not: %s', async (file, code) => {
    const errors = await importErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^@typescript-eslint\/no-restricted-imports: /);
  });

  it.each([
    ['packages/custos/src/core/algorithms/any.ts', "import { SecretBytes } from '../secret-bytes.js';"],
    ['packages/custos/src/store/repositories/any.ts', "import type { Db } from '../store.js';"],
    ['packages/custos/src/service/operations/any.ts', "import { openStore } from '../../store/index.js';"],
    ['packages/custos/src/api/aws/any.ts', "import { SecretBytes } from '../../core/secret-bytes.js';"],
    ['packages/custos/src/cli/commands/any.ts', "const { startServer } = await import('../../api/server.js');"],
    ['packages/custos/src/cli/any.ts', "import { RemoteKms } from '@custos/client';"],
    ['packages/custos/src/cli/commands/any.ts', "import type { ServerOptions } from '../../api/server.js';"],
    ['packages/custos/src/cli/commands/any.ts', "import { type ServerOptions } from '../../api/server.js';"],
    ['packages/contract/src/operations/any.ts', "import { Type } from '@sinclair/typebox';"],
    ['packages/client/src/any.ts', "import { KmsError } from '@custos/contract';"],
    ['packages/client/src/stream.ts', "import { createCipheriv } from 'node:crypto';"],
  ])('%s may: %s', async (file, code) => {
    expect(await importErrors(file, code)).toEqual([]);
  });
});
