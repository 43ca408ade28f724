// ESLint for the whole monorepo: typescript-eslint's strict and stylistic type-checked sets, and the layer boundaries.
// Must not import anything but ESLint and typescript-eslint; `npm run lint` runs it with --max-warnings 0.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * The layers of packages/custos/src (STYLE.md §1): dependencies point down, and each layer lists the layers it must
 * not import. The CLI reaches the api only through the dynamic import in `custos server` (ESLint does not check
 * dynamic imports), so a static import of the api's values is an error there (its types are not: TYPE_ONLY_LAYERS).
 * typescript-eslint's version of no-restricted-imports, for allowTypeImports. packages/custos/test/lint/
 * layer-boundaries.test.ts proves that a wrong import fails.
 */
export const FORBIDDEN_LAYERS = {
  core: ['keystore', 'store', 'service', 'api'],
  keystore: ['store', 'service', 'api'],
  store: ['keystore', 'service', 'api'],
  service: ['api', 'cli'],
  // The API translates protocols to service calls; it may use core's SecretBytes (SigV4 secrets), never the store.
  api: ['store', 'keystore', 'cli'],
  cli: ['store', 'keystore', 'service', 'core', 'api'],
};

/**
 * Layers a layer may still import types from: erased at runtime, they load nothing. `custos server` builds the
 * options of the api's startServer, which it imports dynamically.
 */
const TYPE_ONLY_LAYERS = { cli: ['api'] };

/** Core is pure: no file system, network, process or database modules. */
const IO_MODULES = ['fs', 'fs/promises', 'net', 'http', 'https', 'child_process'].flatMap((m) => [m, `node:${m}`]);
const DATABASE_MODULES = ['better-sqlite3', 'better-sqlite3-13', 'kysely', 'pg'];

/**
 * A relative import is matched by depth, so that `../store` from core/x.ts and `../../store` from core/algorithms/x.ts
 * both name the store layer, while `./store.js` inside the store does not.
 */
function layerRules(layer, forbidden) {
  const typeOnly = TYPE_ONLY_LAYERS[layer] ?? [];
  const pattern = (depth, layers, allowTypeImports) => ({
    regex: `^(\\.\\./){${String(depth)}}(${layers.join('|')})(/|\\.js$)`,
    message: allowTypeImports
      ? `${layer} may import only types from ${layers.join(', ')}: dependencies point down (STYLE.md §1).`
      : `${layer} must not import ${layers.join(', ')}: dependencies point down (STYLE.md §1).`,
    allowTypeImports,
  });
  const valueOnly = forbidden.filter((l) => !typeOnly.includes(l));
  return [1, 2, 3, 4].map((depth) => ({
    files: [`packages/custos/src/${layer}/${'*/'.repeat(depth - 1)}*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: (layer === 'core' ? [...IO_MODULES, ...DATABASE_MODULES] : []).map((name) => ({
            name,
            message: 'core is pure: no I/O, clock or database (STYLE.md §1).',
          })),
          patterns: [
            pattern(depth, valueOnly, false),
            ...(typeOnly.length > 0 ? [pattern(depth, typeOnly, true)] : []),
          ],
        },
      ],
    },
  }));
}

export default defineConfig(
  globalIgnores(['**/dist/', '**/coverage/', '**/node_modules/', 'packages/custos/console-dist/', 'test-output/']),
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      // One program for sources and tests: the root tsconfig maps the workspace packages to their sources.
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An async function that does not await still turns a throw into a rejection, as the interfaces it implements
      // (Fastify plugins and hooks, RootOfTrust, Kms) promise their callers.
      '@typescript-eslint/require-await': 'off',
      // Destructuring a field out to drop it is how a copy without it is made.
      // and a leading underscore marks a parameter a signature needs but the body does not, as tsc reads it.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // Numbers and booleans in messages read as they print.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    files: ['**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly' } }, // the Node globals the two files use
  },
  {
    files: ['packages/*/test/**/*.ts'],
    rules: {
      // Tests index fixtures they have just built; a wrong guess fails the test anyway.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests assert on parsed JSON (`any` from JSON.parse and inject().json()): a wrong shape fails the assertion.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // afterAll guards what a failed beforeAll may have left unset (`server?.close()`), which the types cannot know.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  ...Object.entries(FORBIDDEN_LAYERS).flatMap(([layer, forbidden]) => layerRules(layer, forbidden)),
  {
    // Issue 12: a change commits with its audit record. Operations open transactions through ctx.transaction.
    files: ['packages/custos/src/service/operations/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.property.name='store'][property.name='transaction']",
          message: 'Use ctx.transaction: it commits the audit record with the change (docs/audit.md).',
        },
      ],
    },
  },
  {
    files: ['packages/contract/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}/|@sinclair/typebox(/|$))',
              message: 'The contract imports nothing but its schema library (STYLE.md §1).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/client/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}/|@custos/contract$)',
              message: 'The client depends on the contract only: fetch, no native dependencies (STYLE.md §1).',
            },
          ],
        },
      ],
    },
  },
  {
    // The CSTE stream format (@custos/client/stream) encrypts locally with a data key: node:crypto by design. The
    // client's main entry stays fetch-only; only this module, behind its own subpath export, may use it.
    files: ['packages/client/src/stream.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}/|@custos/contract$|node:crypto$)',
              message: 'The stream format depends on the contract and node:crypto only (STYLE.md §1).',
            },
          ],
        },
      ],
    },
  },
);
