/**
 * The crash drill's processes, as an operator runs them by hand (issue 10): `npm run cloud -- --seed <file>
 * --latency-ms <n> --descriptor <file>` keeps the emulated organization in its own process; the bot is
 * `npm start -- --cloud <descriptor> --no-playground`, started here as one node process (tsx's loader, not the tsx
 * CLI whose child would outlive a kill -9 of the wrapper), so SIGKILL kills the bot itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { connectLocalCloud, type ConnectedCloud } from '@scbot/stand-ins';
import { freePort } from './free-port';

export interface DrillProcess {
  child: ChildProcess;
  /** kill -9 (the bot), or SIGTERM to the process group (the cloud, which npm runs as a child). */
  stop(): Promise<void>;
}

function waitForLine(child: ChildProcess, wanted: (line: string) => boolean, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!wanted(line)) return;
      // close() pauses the stream: resumed, so a chatty process never blocks on a full pipe (other readers go on).
      lines.close();
      child.stdout?.resume();
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready: ${stderr}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve();
  else child.once('exit', () => resolve());
});

export async function startDrillCloud(descriptor: string, seedFile: string, latencyMs: number): Promise<DrillProcess & { cloud: ConnectedCloud }> {
  const child = spawn('npm', ['run', '--silent', 'cloud', '--', '--seed', seedFile, '--latency-ms', String(latencyMs), '--descriptor', descriptor], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await waitForLine(child, (line) => line === 'local cloud ready', 'npm run cloud');
  return {
    child, cloud: await connectLocalCloud(descriptor),
    stop: async () => {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await exited(child);
    },
  };
}

export interface DrillBot extends DrillProcess {
  url: string;
  /** Its stdout so far, line by line (JSON log lines with LOG_FORMAT=json). */
  lines: string[];
  /** SIGTERM, as a platform stops a container: resolves with the exit code once the process is gone. */
  terminate(): Promise<number | null>;
}

/** `npm start -- --cloud <descriptor> --no-playground` with `env` (state settings, policy, concurrency). */
export async function startDrillBot(descriptor: string, env: Record<string, string>): Promise<DrillBot> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts', '--no-playground', '--cloud', descriptor], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => lines.push(line));
  await waitForLine(child, (line) => line.includes('LOCAL MODE'), 'the bot');
  return {
    child, url: `http://127.0.0.1:${port}`, lines,
    stop: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    terminate: async () => {
      child.kill('SIGTERM');
      await exited(child);
      return child.exitCode;
    },
  };
}

/** The JSON log lines of a drill bot started with LOG_FORMAT=json. */
export function logRecords(bot: Pick<DrillBot, 'lines'>): Array<Record<string, unknown>> {
  return bot.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}
