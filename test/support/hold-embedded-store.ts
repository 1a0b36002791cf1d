/**
 * A second process for the single-writer tests: opens the embedded store on argv[2], prints "ready" and keeps
 * running until killed; if the store refuses, prints the message and exits 2.
 */
import { EmbeddedStore } from '../../src/store/embedded-store';

try {
  const store = new EmbeddedStore({ dir: process.argv[2] ?? '' });
  await store.put('probe', String(process.pid), { pid: process.pid });
  console.log('ready');
  setInterval(() => undefined, 60_000);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
