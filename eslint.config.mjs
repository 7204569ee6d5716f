import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The house (docs/architecture.md): which of our packages each package and service may import.
// Everything else of ours is refused, and so is reaching into another folder by a relative path.
const MAY_IMPORT = {
  'packages/core': [],
  'packages/logging': [],
  'packages/config': ['core'],
  'packages/runtime': ['core', 'logging'],
  'packages/http': ['core', 'logging', 'runtime'],
  'packages/kafka': ['core', 'logging'],
  'packages/mongo': ['core', 'logging'],
  'packages/read-model': ['core', 'mongo'],
  'packages/cli': ['core'],
  'services/calculator': ['core', 'config', 'logging', 'runtime', 'http', 'kafka'],
  'services/command-api': ['core', 'config', 'logging', 'runtime', 'http', 'kafka', 'mongo', 'read-model'],
  'services/projector': ['core', 'config', 'logging', 'runtime', 'http', 'kafka', 'mongo', 'read-model'],
  'services/query-api': ['core', 'config', 'logging', 'runtime', 'http', 'mongo', 'read-model'],
  'services/dashboard': ['core', 'config', 'logging', 'runtime', 'http'],
};
const OURS = ['core', 'logging', 'config', 'runtime', 'http', 'kafka', 'mongo', 'read-model', 'testing'];

const layerRules = Object.entries(MAY_IMPORT).map(([folder, allowed]) => ({
  files: [`${folder}/src/**/*.ts`],
  ignores: ['**/*.test.ts', '**/*.fixture.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: OURS.filter((name) => !allowed.includes(name)).map((name) => `@drive-deposits/${name}`),
            message: `${folder} may import only ${allowed.map((n) => `@drive-deposits/${n}`).join(', ') || 'none of our packages'} (docs/architecture.md).`,
          },
          {
            group: ['../../*', '../../../*'],
            message:
              'Import another package or service by its @drive-deposits/ name, never by a path into it.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.infra/**', '.run/**', '.tools/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...layerRules,
  {
    // The dashboard's browser code is bundled into the page: none of our packages (they are Node's),
    // except their types (erased by the bundler), so the page reads the contract's own shapes.
    files: ['services/dashboard/web/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@drive-deposits/core', '@drive-deposits/http'],
              allowTypeImports: true,
              message: 'services/dashboard/web is browser code: only types of core and http (import type).',
            },
            {
              group: ['@drive-deposits/*', '!@drive-deposits/core', '!@drive-deposits/http'],
              message:
                'services/dashboard/web is browser code: it imports none of our packages (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read untyped JSON response bodies; typing every one adds nothing the assertions lack.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Executable shims are plain CommonJS that load the compiled entry point.
    files: ['**/bin/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
