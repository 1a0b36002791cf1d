import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { ManualClock } from '@scbot/stand-ins/test-kit';

export { ManualClock };

/** Shared by the entra-*.test.ts suites: a clock tests move by hand, client certificates, raw https calls. */

/** Starts at the real time: @azure/identity stamps expiries and client assertions on the wall clock. */
export function manualClock(start: Date = new Date()): ManualClock {
  return new ManualClock(start);
}

export interface ClientCertificate {
  certPem: string;
  keyPem: string;
  /** A PEM file holding key and certificate, as ClientCertificateCredential's certificatePath wants. */
  path: string;
}

export async function makeClientCertificates(count: number): Promise<{ certs: ClientCertificate[]; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'scbot-entra-'));
  const certs: ClientCertificate[] = [];
  for (let i = 0; i < count; i++) {
    // Valid from a day ago: the registry takes a key's start from the certificate, and test clocks start earlier.
    const pems = await generate([{ name: 'commonName', value: `scbot-test-${i}` }], {
      keySize: 2048, algorithm: 'sha256', notBeforeDate: new Date(Date.now() - 24 * 3600_000),
    });
    const path = join(dir, `client-${i}.pem`);
    await writeFile(path, `${pems.private}\n${pems.cert}\n`, { mode: 0o600 });
    certs.push({ certPem: pems.cert, keyPem: pems.private, path });
  }
  return { certs, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface HttpReply {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** One https call trusting only the given CA; `form` makes it a form-encoded POST. */
export function call(url: string, ca: string, form?: Record<string, string>): Promise<HttpReply> {
  const payload = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: form ? 'POST' : 'GET',
      ca,
      headers: payload ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } : {},
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(text) as Record<string, unknown>; } catch { /* not JSON: keep text */ }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
