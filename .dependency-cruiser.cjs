/**
 * Dependency rules of the lint step (`npm run lint`), beside ESLint's: no import cycles anywhere, and the one
 * direction of the layers (README "Architecture"). ESLint keeps botbuilder/restify in bot/ and src/domain pure.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles hide a wrong layering.', from: {}, to: { circular: true } },
    {
      name: 'src-not-into-bot', severity: 'error', comment: 'src/ never reaches up into the Teams surface or the tools.',
      from: { path: '^src/' }, to: { path: '^(bot|tools|test|bench)/' },
    },
    {
      name: 'rendering-in-presentation-only', severity: 'error',
      comment: 'Card templates are expanded by the presenter (src/cards/presenter.ts) and nowhere else: use cases return views.',
      from: { path: '^(src|bot)/', pathNot: '^src/cards/presenter\\.ts$' }, to: { path: '^src/cards/render\\.ts$' },
    },
    {
      name: 'stand-ins-stand-alone', severity: 'error',
      comment: 'The stand-ins (packages/stand-ins) read the wire from the spec, never through the product (ESLint checks the other direction).',
      from: { path: '^packages/stand-ins/' }, to: { path: '^(src|bot|test|bench|tools)/' },
    },
    {
      name: 'operations-below-the-engine', severity: 'error',
      comment: 'An operation (src/operations/<op>/) is asked by the generic engine through its hooks; it never reaches into approvals, the executor or the agents surface.',
      from: { path: '^src/operations/' }, to: { path: '^(src/(approvals|mcp|agents)/|src/execution/executor\\.ts$)' },
    },
    {
      name: 'domain-imports-domain', severity: 'error', comment: 'src/domain is the bottom layer: it imports only itself.',
      from: { path: '^src/domain/' }, to: { path: '^(src/(?!domain/)|bot/)' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|test-artifacts|devTools)/' },
  },
};
