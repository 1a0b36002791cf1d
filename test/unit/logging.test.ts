import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging';

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('logging', () => {
  it('pretty: one readable line per event (time, level, message, fields), secrets still censored', () => {
    const out = collect();
    const logger = createLogger({ format: 'pretty', prettyOutput: out.stream });
    logger.info({ planId: 'P-ABCDEFGH', secret: 'SEEDSECRET-x' }, 'plan approved');
    const line = out.text();
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}(\.\d+)?\] INFO: plan approved/);
    expect(line).toContain('P-ABCDEFGH');
    expect(line).not.toContain('SEEDSECRET-x');
    expect(line).not.toContain('"level"');
  });

  it('json: one JSON object per line for log collectors', () => {
    const out = collect();
    createLogger({ format: 'json', destination: out.stream }).info({ planId: 'P-1' }, 'plan approved');
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, msg: 'plan approved', planId: 'P-1', app: 'scbot' });
  });
});
