// House rules are lint rules so they cannot drift: the Teams SDK stays in bot/ (one folder to move when
// botbuilder is replaced by the Microsoft 365 Agents SDK) and src/domain stays pure (no I/O imports).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const teamsSdk = ['botbuilder', 'botbuilder-*', 'botframework-*', 'restify', 'restify-*'];
// The MCP SDK (and the HTTP server it brings, @hono/node-server) stays in the MCP endpoint's folder, as botbuilder in bot/.
const mcpSdk = ['@modelcontextprotocol/*', '@hono/*'];
const mcpSdkMessage = 'The MCP SDK is imported only under src/mcp/.';
const ioModules = [
  'node:*', 'fs', 'fs/*', 'http', 'https', 'net', 'child_process', 'os', 'path', 'dns', 'tls', 'crypto',
  'azure-devops-node-api', 'azure-devops-node-api/*', '@azure/*', 'pino', 'cockatiel', 'p-queue',
  'typed-rest-client', 'typed-rest-client/*', 'adaptivecards-templating',
];

// The stand-ins are a package of their own: they read the wire from the spec, never through the product's helpers,
// and the product reaches them only from local mode, tests and benchmarks.
const standIns = ['@scbot/stand-ins', '@scbot/stand-ins/*', '**/packages/*', '**/packages/**'];
const standInsMessage = '@scbot/stand-ins is imported only from local mode (bot/local-*.ts), test/ and bench/.';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'devTools/**', 'test-artifacts/**', 'coverage/**', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [
          { group: teamsSdk, message: 'botbuilder/restify are imported only under bot/.' },
          { group: mcpSdk, message: mcpSdkMessage },
          { group: standIns, message: standInsMessage },
        ],
      }],
    },
  },
  {
    files: ['src/mcp/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: teamsSdk, message: 'botbuilder/restify are imported only under bot/.' }, { group: standIns, message: standInsMessage }],
      }],
    },
  },
  {
    files: ['bot/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: standIns, message: standInsMessage }, { group: mcpSdk, message: mcpSdkMessage }] }] },
  },
  {
    files: ['bot/local-*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Relative paths only inside the package: `../src` here is the package's own src, one level up from test/.
    files: ['packages/stand-ins/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(\\.\\./){2,}(src|bot|test|bench|tools|packages)(/|$)',
          message: 'The stand-ins never import the product: re-implement what they need from the spec and fact sheets.',
        }, {
          group: ['scbot', 'scbot/*'],
          message: 'The stand-ins never import the product.',
        }],
      }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: teamsSdk, message: 'botbuilder/restify are imported only under bot/.' },
          { group: ioModules, message: 'src/domain is pure: no I/O library here.' },
          { group: mcpSdk, message: mcpSdkMessage },
          { group: standIns, message: standInsMessage },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'fetch', message: 'src/domain is pure: no I/O.' },
        { name: 'process', message: 'src/domain is pure: read configuration in src/config.ts.' },
      ],
    },
  },
);
