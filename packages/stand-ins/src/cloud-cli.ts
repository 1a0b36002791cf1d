/**
 * `npm run cloud -- --descriptor <file> [--seed <file>] [--latency-ms <n>] [--provisioning-ms <n>] [--deletion-ms <n>] [--conversion-ms <n>] [--devops-https]`: runs the local
 * cloud (Azure DevOps, Entra, Graph, Key Vault stand-ins) in its own process until killed, so the tool under test
 * can be killed and restarted while the emulated organization keeps its state. Writes the descriptor
 * (cloud-descriptor.ts), then prints exactly `local cloud ready`.
 */
import { parseArgs } from 'node:util';
import { wholeNumber } from './cli-args';
import { removeCloudDescriptor, writeCloudDescriptor } from './cloud-descriptor';
import { startLocalCloud } from './local-cloud';
import { DEMO_SEED_PATH, loadSeed } from './seed';

function readArgs() {
  const { values } = parseArgs({
    options: {
      descriptor: { type: 'string' }, seed: { type: 'string' }, 'latency-ms': { type: 'string' },
      'provisioning-ms': { type: 'string' }, 'deletion-ms': { type: 'string' }, 'conversion-ms': { type: 'string' }, port: { type: 'string', default: '0' },
      'devops-https': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.descriptor) throw new Error('--descriptor <file> is required: where to write the endpoints of the running cloud');
  return {
    descriptor: values.descriptor, seed: values.seed ?? DEMO_SEED_PATH, port: wholeNumber('port', values.port) ?? 0,
    latencyMs: wholeNumber('latency-ms', values['latency-ms']), provisioningMs: wholeNumber('provisioning-ms', values['provisioning-ms']),
    deletionMs: wholeNumber('deletion-ms', values['deletion-ms']), conversionMs: wholeNumber('conversion-ms', values['conversion-ms']),
    devopsHttps: values['devops-https'],
  };
}

async function main(): Promise<void> {
  const args = readArgs();
  const seed = await loadSeed(args.seed);
  const cloud = await startLocalCloud({ seed, port: args.port, provisioningMs: args.provisioningMs, deletionMs: args.deletionMs, conversionMs: args.conversionMs, devopsHttps: args.devopsHttps });
  if (args.latencyMs) cloud.devops.faults.setLatency(args.latencyMs);
  await writeCloudDescriptor(args.descriptor, cloud);
  process.stdout.write('local cloud ready\n');
  const stop = (): void => {
    void removeCloudDescriptor(args.descriptor).then(() => cloud.close()).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`cloud: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
