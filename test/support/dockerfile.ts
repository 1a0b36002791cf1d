/**
 * The Dockerfile's steps without a Docker engine (none runs in CI): parse its stages, then carry out the runtime
 * stage on the local file system. The instructions it reads are the few the Dockerfile uses; anything else fails
 * loudly, so the Dockerfile cannot drift from what the built-artifact test proves.
 *   build stage:   WORKDIR, COPY . ., RUN npm ci, RUN npm run build   → `buildArtifact` on a clean copy (below)
 *   runtime stage: WORKDIR, COPY (context or --from=build), RUN (shell, offline from npm's cache), ENV, USER,
 *                  EXPOSE, HEALTHCHECK CMD [..], CMD [..]
 */
import { execFileSync, execSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildArtifact } from '../../tools/build';

export interface Instruction {
  op: string;
  /** `--name=value` flags before the arguments (COPY --from, RUN --mount, HEALTHCHECK --interval). */
  flags: Record<string, string>;
  args: string;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    const flags: Record<string, string> = {};
    let args = rest;
    for (let flag = /^--([\w-]+)=(\S+)\s+/.exec(args); flag; flag = /^--([\w-]+)=(\S+)\s+/.exec(args)) {
      flags[flag[1] as string] = flag[2] as string;
      args = args.slice(flag[0].length);
    }
    if (op.toUpperCase() === 'FROM') {
      const [, from = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ name, from, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile: ${op} before FROM`);
      stage.instructions.push({ op: op.toUpperCase(), flags, args });
    }
  }
  return stages;
}

/** The image as this machine can have it: a folder, the process settings the Dockerfile gives it. */
export interface BuiltImage {
  /** The runtime stage's WORKDIR. */
  dir: string;
  env: Record<string, string>;
  user?: string;
  cmd: string[];
  healthcheck: string[];
  /** The clean copy of the sources (the build context, and the build stage's /app). */
  context: string;
}

const EXPECTED_BUILD = ['WORKDIR /app', 'COPY . .', 'RUN npm ci --no-audit --no-fund', 'RUN npm run build'];

/** Files `docker build .` sends: tracked and untracked-but-not-ignored files, less .dockerignore's top entries. */
async function cleanCopy(repo: string, into: string): Promise<void> {
  const ignored = (await readFile(path.join(repo, '.dockerignore'), 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  const kept = listed.filter((file) => !ignored.some((pattern) => file === pattern || file.startsWith(`${pattern.replace(/^\*\*\//, '')}/`)));
  for (const file of kept) {
    await mkdir(path.dirname(path.join(into, file)), { recursive: true });
    await cp(path.join(repo, file), path.join(into, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // deleted in the work tree, not yet in git
    });
  }
}

function exec(instruction: Instruction): string[] {
  const parsed: unknown = JSON.parse(instruction.args.replace(/^CMD\s+/, ''));
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error(`Dockerfile: ${instruction.op} must be exec form`);
  return parsed;
}

/**
 * Builds the image's folder under a temp dir: the build stage through the same esbuild call `npm run build` makes
 * (its full `npm ci` changes nothing in the output: packages stay external), the runtime stage step by step with
 * npm offline from this machine's cache. `root` is where the build stage's and runtime stage's /app go.
 */
export async function buildImageWithoutDocker(repo: string): Promise<BuiltImage> {
  const root = await mkdtemp(path.join(tmpdir(), 'scbot-image-'));
  await chmod(root, 0o755); // the image's user (uid 1000) reads it
  const [build, runtime] = parseDockerfile(await readFile(path.join(repo, 'Dockerfile'), 'utf8'));
  if (!build || !runtime || build.name !== 'build') throw new Error('Dockerfile: expected a build stage and a runtime stage');
  const seen = build.instructions.map((i) => `${i.op} ${i.args}`);
  if (JSON.stringify(seen) !== JSON.stringify(EXPECTED_BUILD)) throw new Error(`Dockerfile build stage changed: ${seen.join(' | ')}`);
  const context = path.join(root, 'context');
  await cleanCopy(repo, context);
  await buildArtifact(context);
  const image: BuiltImage = { dir: path.join(root, 'app'), env: {}, cmd: [], healthcheck: [], context };
  for (const step of runtime.instructions) await runtimeStep(step, image, { build: context });
  return image;
}

async function runtimeStep(step: Instruction, image: BuiltImage, stages: Record<string, string>): Promise<void> {
  const inImage = (p: string) => path.join(image.dir, p.replace(/^\/app\/?/, ''));
  switch (step.op) {
    case 'WORKDIR':
      if (step.args !== '/app') throw new Error(`Dockerfile: WORKDIR ${step.args} (expected /app)`);
      return void (await mkdir(image.dir, { recursive: true }));
    case 'COPY': {
      const parts = step.args.split(/\s+/);
      const destination = inImage(parts.pop() as string);
      const from = step.flags.from ? stages[step.flags.from] : image.context;
      if (!from) throw new Error(`Dockerfile: COPY --from=${step.flags.from}: no such stage`);
      for (const source of parts) {
        const target = destination.endsWith('/') || parts.length > 1 ? path.join(destination, path.basename(source)) : destination;
        await cp(path.join(from, source.replace(/^\/app\/?/, '')), target, { recursive: true });
      }
      return;
    }
    case 'RUN':
      // The cache mount is BuildKit's; here npm reads the machine's cache and never the network.
      return void execSync(step.args, { cwd: image.dir, stdio: 'pipe', env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' } });
    case 'ENV': {
      const [, key = '', value = ''] = /^(\w+)=(.*)$/.exec(step.args) ?? [];
      if (!key) throw new Error(`Dockerfile: ENV ${step.args} (expected KEY=value)`);
      image.env[key] = value;
      return;
    }
    case 'USER':
      image.user = step.args;
      return;
    case 'EXPOSE':
      return;
    case 'HEALTHCHECK':
      image.healthcheck = exec(step);
      return;
    case 'CMD':
      image.cmd = exec(step);
      return;
    default:
      throw new Error(`Dockerfile: ${step.op} is not carried out by test/support/dockerfile.ts`);
  }
}
