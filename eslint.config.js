// House rules are lint rules so they cannot drift: the Teams SDK stays in bot/ (one folder to move when
// botbuilder is replaced by the Microsoft 365 Agents SDK) and src/domain stays pure (no I/O imports).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const teamsSdk = ['botbuilder', 'botbuilder-*', 'botframework-*', 'restify', 'restify-*'];
const ioModules = [
  'node:*', 'fs', 'fs/*', 'http', 'https', 'net', 'child_process', 'os', 'path', 'dns', 'tls', 'crypto',
  'azure-devops-node-api', 'azure-devops-node-api/*', '@azure/*', 'pino', 'cockatiel', 'p-queue',
  'typed-rest-client', 'typed-rest-client/*', 'adaptivecards-templating',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'devTools/**', 'test-artifacts/**', 'coverage/**', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [{ group: teamsSdk, message: 'botbuilder/restify are imported only under bot/.' }],
      }],
    },
  },
  {
    files: ['bot/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: teamsSdk, message: 'botbuilder/restify are imported only under bot/.' },
          { group: ioModules, message: 'src/domain is pure: no I/O library here.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'fetch', message: 'src/domain is pure: no I/O.' },
        { name: 'process', message: 'src/domain is pure: read configuration in src/config.ts.' },
      ],
    },
  },
);
