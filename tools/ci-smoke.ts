/**
 * `.ci/run`'s start-up smoke for a second Node major (22; the suite itself runs on 24): the built artifact starts in
 * Azure mode and local mode starts from source, each answers GET /healthz, stops on SIGTERM with exit code 0, and
 * prints nothing on stderr (no deprecation or other warning). Nothing here reaches a network: Azure mode makes no
 * call before a message arrives. Run after `npm run build`: node --import tsx tools/ci-smoke.ts
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { BUILT_ENTRY } from './build';

/** `ready` finds the line that says the bot listens; its first group is the port. */
interface Started { name: string; args: string[]; env: Record<string, string>; ready: RegExp }

const freePort = () => new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

async function smoke({ name, args, env, ready }: Started): Promise<void> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready within 60 s\n${stderr}`)), 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const found = ready.exec(line);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    void exited.then((code) => reject(new Error(`${name}: exited with ${code} before it was ready\n${stderr}`)));
  });
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  child.kill('SIGTERM');
  const code = await exited;
  if (health.status !== 200 || code !== 0 || stderr !== '') {
    throw new Error(`${name}: /healthz ${health.status}, exit code ${code}, stderr: ${stderr || '(empty)'}`);
  }
  console.log(`smoke ok on Node ${process.versions.node}: ${name}`);
}

async function main(): Promise<void> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'scbot-smoke-'));
  try {
    await smoke({
      name: `node ${BUILT_ENTRY} (Azure mode)`, args: ['--max-old-space-size=1024', BUILT_ENTRY], ready: /"url":"http:\/\/0\.0\.0\.0:(\d+)"/,
      env: {
        PORT: String(await freePort()), LOG_FORMAT: 'json', SCBOT_STATE_DIR: stateDir,
        MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555556',
        AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso', AZURE_DEVOPS_CREDENTIAL: 'managed-identity', AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      },
    });
    await smoke({
      name: 'npm start (local mode, from source)', args: ['--import', 'tsx', 'bot/main.ts', '--no-playground'],
      ready: /Bot:\s+http:\/\/127\.0\.0\.1:(\d+)\/api\/messages/, env: { PORT: String(await freePort()) },
    });
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
