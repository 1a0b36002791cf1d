/**
 * `npm run build`: the production artifact, dist/bot/main.js, started with `node` (docs/deploying.md).
 *
 * esbuild rather than tsc: the sources import without file extensions (`moduleResolution: bundler`), which Node's
 * ESM loader refuses, and rewriting every specifier would touch every file for no runtime gain. esbuild is the
 * compiler tsx already runs in development, so the built code is the code the tests run. Types are checked by
 * `npm run typecheck` (esbuild only strips them).
 *
 * - Packages stay external: node_modules is installed beside the artifact with `npm ci --omit=dev`, so every
 *   package the artifact imports must be a production dependency (test/e2e/built-artifact.test.ts proves it), and
 *   Node still sees dependencies' deprecated calls as coming from node_modules (it stays quiet about those).
 * - Local mode stays out (bot/main.ts imports it only when started from source): the stand-ins, tsx and the
 *   Agents Playground are development packages.
 * - The output sits at the same depth as the sources (dist/bot/ beside bot/), so src/cards/render.ts finds the
 *   card templates at ../../cards/ from either; cards/ ships beside dist/.
 */
import { build, type Plugin } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUILT_ENTRY = 'dist/bot/main.js';

/** `import('./local-mode')` from bot/main.ts stays a (never taken) import instead of pulling the stand-ins in. */
const sourceTreeOnly: Plugin = {
  name: 'source-tree-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\/local-mode$/ }, (args) => ({ path: args.path, external: true }));
  },
};

export async function buildArtifact(root = ROOT): Promise<string[]> {
  await rm(`${root}/dist/bot`, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['bot/main.ts'],
    outdir: 'dist/bot',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    plugins: [sourceTreeOnly],
    metafile: true,
    logLevel: 'warning',
  });
  return Object.keys(result.metafile.outputs);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildArtifact().then((outputs) => console.log(`built ${outputs.join(', ')}: start it with node ${BUILT_ENTRY} (Azure mode)`), (error: unknown) => {
    console.error(`npm run build: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
