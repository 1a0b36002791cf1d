/**
 * `npm run emulator -- --port <n> [--seed <file>] [--host <addr>] [--provisioning-ms <n>] [--deletion-ms <n>] [--conversion-ms <n>]`: serves the Azure DevOps emulator until killed.
 * The first stdout line is exactly `emulator listening at <orgUrl>` so scripts can wait for it and read the port.
 */
import { parseArgs } from 'node:util';
import { wholeNumber } from './cli-args';
import { loadSeed, DEMO_SEED_PATH } from './seed';
import { startDevOpsEmulator } from './devops/server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' }, seed: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' },
      'provisioning-ms': { type: 'string' }, 'deletion-ms': { type: 'string' }, 'conversion-ms': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be 0..65535, got "${values.port}"`);
  const seed = await loadSeed(values.seed ?? DEMO_SEED_PATH);
  const emulator = await startDevOpsEmulator({
    seed, port, host: values.host, provisioningMs: wholeNumber('provisioning-ms', values['provisioning-ms']), deletionMs: wholeNumber('deletion-ms', values['deletion-ms']),
    conversionMs: wholeNumber('conversion-ms', values['conversion-ms']),
  });
  process.stdout.write(`emulator listening at ${emulator.orgUrl}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
