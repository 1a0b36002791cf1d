/**
 * Azurite's table service as a child process on 127.0.0.1, in memory, for one test file (start in beforeAll,
 * stop in afterAll). A child process rather than in-process: Azurite is CommonJS without type declarations and
 * keeps global logger/telemetry state, none of which belongs in the test worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TlsCertificate } from '@scbot/stand-ins';
import { freePort } from './free-port';

/** Azurite's well-known development account, copied from node_modules/azurite/README.md ("Default Storage Account"). */
export const DEV_ACCOUNT_NAME = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /**
   * Serve https with this certificate and accept bearer tokens (`--oauth basic`: Azurite checks a token's
   * issuer, audience and lifetime but not its signature), to exercise the managed-identity path.
   */
  certificate?: TlsCertificate;
}

export interface AzuriteTables {
  /** http(s)://127.0.0.1:<port>/devstoreaccount1 */
  tableEndpoint: string;
  connectionString: string;
  stop(): Promise<void>;
}

const READY_MARK = 'successfully started';
const START_TIMEOUT_MS = 20_000;
const ATTEMPTS = 3;

export function tableConnectionString(tableEndpoint: string, accountKey = DEV_ACCOUNT_KEY): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${accountKey};TableEndpoint=${tableEndpoint};`;
}

/** Azurite 3.35 reports the configured port, not the bound one, so a free port is chosen first; a lost race retries. */
export async function startAzuriteTables(options: AzuriteOptions = {}): Promise<AzuriteTables> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scbot-azurite-'));
  await writeParentWatch(dir);
  const tlsArgs = options.certificate ? await tlsArguments(dir, options.certificate) : [];
  const scheme = options.certificate ? 'https' : 'http';
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = await freePort();
    try {
      const child = await launch(port, dir, tlsArgs);
      const tableEndpoint = `${scheme}://127.0.0.1:${port}/${DEV_ACCOUNT_NAME}`;
      const stopAll = async (): Promise<void> => {
        await stop(child);
        await rm(dir, { recursive: true, force: true });
      };
      return { tableEndpoint, connectionString: tableConnectionString(tableEndpoint), stop: stopAll };
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

const PARENT_WATCH = 'exit-with-parent.cjs';

async function writeParentWatch(dir: string): Promise<void> {
  // The watcher also removes this temp directory (it lives in it): nobody else is left to.
  const script = "process.on('disconnect', () => { require('node:fs').rmSync(__dirname, { recursive: true, force: true }); process.exit(0); });\n";
  await writeFile(path.join(dir, PARENT_WATCH), script);
}

async function tlsArguments(dir: string, certificate: TlsCertificate): Promise<string[]> {
  const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
  await writeFile(cert, certificate.certPem);
  await writeFile(key, certificate.keyPem);
  return ['--cert', cert, '--key', key, '--oauth', 'basic'];
}

function launch(port: number, cwd: string, extraArgs: string[]): Promise<ChildProcess> {
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  const args = [main, '--tableHost', '127.0.0.1', '--tablePort', String(port),
    '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent', ...extraArgs];
  // cwd: Azurite ensures its (unused, in-memory) location directory exists; keep that out of the repository.
  // The IPC channel closes when this process dies however it dies (a killed test worker runs no afterAll and no
  // 'exit' handler); the preloaded watcher then ends Azurite, so no test run leaves one behind.
  const watcher = ['--require', path.join(cwd, PARENT_WATCH)];
  const child = spawn(process.execPath, [...watcher, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Azurite did not start on port ${port}: ${reason}\n${output}`));
    };
    const timer = setTimeout(() => fail('timed out'), START_TIMEOUT_MS);
    const onData = (data: Buffer): void => {
      output += data.toString();
      if (!output.includes(READY_MARK)) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      resolve(child);
    };
    const onEarlyExit = (code: number | null): void => fail(`exited with ${code}`);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
    child.once('exit', onEarlyExit);
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // In-memory data needs no graceful shutdown; SIGTERM ends it at once (its SIGINT handler only closes the server).
    child.kill('SIGTERM');
  });
}
