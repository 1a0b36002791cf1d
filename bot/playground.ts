import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * The Microsoft 365 Agents Playground (the local Teams client) as a child process. It has no host flag and
 * listens on every interface, so it runs with a preload that forces listen() onto 127.0.0.1.
 */
export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  /** Where the playground writes its ./devTools log folder. */
  cwd?: string;
  /** How long to wait for "Listening on <port>" before giving up. */
  startTimeoutMs?: number;
}

export interface PlaygroundHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

// --import takes a URL (a bare Windows path would not do).
const LOOPBACK_PRELOAD = new URL('./loopback-preload.mjs', import.meta.url).href;

function playgroundCli(): string {
  return createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
}

export async function startPlayground(options: PlaygroundOptions): Promise<PlaygroundHandle> {
  const args = [
    '--import', LOOPBACK_PRELOAD, playgroundCli(),
    '-e', options.botEndpoint, '-c', 'msteams', '-p', String(options.port ?? 0), '--disable-telemetry',
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    // BROWSER=none: never open a browser on its own; the banner prints the URL instead.
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', SCBOT_EXIT_WITH_PARENT: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Belt and braces with the preload's stdin watch: a normal exit of this process takes the playground along.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stop = () => {
    process.off('exit', killOnExit);
    return stopChild(child);
  };
  try {
    const port = await waitForPort(child, options.startTimeoutMs ?? 30_000);
    return { url: `http://127.0.0.1:${port}`, port, close: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`Agents Playground did not start: ${why}\n${output.slice(-2000)}`));
    };
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      const match = /Listening on (\d+)/.exec(output);
      if (match?.[1]) {
        cleanup();
        resolve(Number(match[1]));
      }
    };
    const onExit = (code: number | null) => fail(`exited with code ${code}`);
    const timer = setTimeout(() => fail(`no "Listening on" line within ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining the pipes so a chatty playground never blocks on a full buffer.
      child.stdout?.resume();
      child.stderr?.resume();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
