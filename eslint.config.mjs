// ESLint 9 flat config: typescript-eslint with type information for every .ts file, eslint-plugin-jest
// for the tests, plain recommended rules for the few CommonJS scripts. `npm run lint` is part of `npm test`.
import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

// The Node globals the CommonJS scripts use (scripts/*.js, jest.config.js); listed here rather than
// pulling in the `globals` package for a handful of names.
const nodeGlobals = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'URL',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'queueMicrotask',
    'AbortController',
    'AbortSignal',
    'fetch',
    'URLSearchParams',
    'TextEncoder',
    'TextDecoder',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
);

// The browser globals the pages' modules use (dashboard/, workbench/, web-common/), listed for the same reason.
const browserGlobals = Object.fromEntries(
  [
    'window',
    'document',
    'location',
    'history',
    'sessionStorage',
    'fetch',
    'URL',
    'URLSearchParams',
    'Intl',
    'Node',
    'console',
    'setTimeout',
    'requestAnimationFrame',
    'FormData',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.bench/**'] },

  {
    files: ['**/*.{js,cjs,mjs}'],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs', globals: nodeGlobals },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  // the pages' browser modules (served as they are, no build step)
  {
    files: ['dashboard/**/*.js', 'workbench/**/*.js', 'web-common/**/*.js'],
    languageOptions: { sourceType: 'module', globals: browserGlobals },
  },

  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // a forgotten await is the bug that matters most in a queue-driven service
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'warn',
      // a warning, not an error: dead code is worth seeing, not worth failing a build in flux
      '@typescript-eslint/no-unused-vars': [
        'warn',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // NestJS code meets `any` at every framework edge (request objects, pg rows, supertest bodies):
      // the unsafe-* family would be noise rather than signal here
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Nest interface methods (onModuleDestroy, guards, handlers) are often async without awaiting
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
    },
  },

  // TypeORM's migration list is typed as constructors: `Function` is the honest type there
  {
    files: ['migrations/index.ts'],
    rules: { '@typescript-eslint/no-unsafe-function-type': 'off' },
  },

  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/valid-expect': 'error',
      'jest/expect-expect': ['warn', { assertFunctionNames: ['expect', 'request.**.expect', '**.expect'] }],
      // jest's expect(obj.method) and mock objects trip this without reason
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
