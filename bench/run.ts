import { readdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { formatTable, type BenchFunction } from './support/report';

/**
 * `npm run bench [-- filter]`: runs every bench/*.ts that exports `bench`, one after another (they share the
 * CPU, so never in parallel), and prints each report as a table.
 */
async function main(): Promise<void> {
  const filter = process.argv[2];
  const dir = new URL('./', import.meta.url);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && (!filter || f.includes(filter))).sort();
  let ran = 0;
  for (const file of files) {
    const module = (await import(pathToFileURL(new URL(file, dir).pathname).href)) as { bench?: BenchFunction };
    if (typeof module.bench !== 'function') continue;
    console.log(`running ${file} ...`);
    const report = await module.bench();
    console.log(`${formatTable(report)}\n`);
    if (report.json) console.log(JSON.stringify(report.json));
    ran += 1;
  }
  if (ran === 0) console.log(`no benchmark matched${filter ? ` "${filter}"` : ''}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
