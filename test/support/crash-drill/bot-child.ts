/** Starts bot-process.ts as a child (one node process, so SIGKILL kills the bot itself) and waits until it listens. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface BotChild {
  url: string;
  process: ChildProcess;
  /** kill -9: no shutdown hook, no lease release, nothing flushed. */
  kill(): Promise<void>;
}

const SCRIPT = path.join(import.meta.dirname, 'bot-process.ts');

export function startBotChild(cloudFile: string, env: Record<string, string>): Promise<BotChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, cloudFile], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => { errors = (errors + chunk.toString('utf8')).slice(-4000); });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`bot child did not start: ${errors}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`bot child exited (${code}): ${errors}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const ready = /bot ready (\S+)/.exec(out);
      if (!ready) return;
      clearTimeout(timer);
      resolve({
        url: ready[1]!, process: child,
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}
