import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'ui/dist/', '.callstream/', '.test-data/', 'artifacts/', 'ui/**/*.svelte'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The domain stays pure: no I/O packages, no adapters.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['slonik', 'pg', 'fastify', 'mercurius', 'drachtio-modesl', 'node:fs', 'node:net', '**/telephony/**', '**/projections/**', '**/api/**', '**/eventstore/postgres/**', '**/eventstore/esdb/**'] }],
    },
  },
);
