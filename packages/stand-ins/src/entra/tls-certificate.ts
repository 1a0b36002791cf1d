import { generate } from 'selfsigned';

/** Vault `kv-a` answers at `https://kv-a.vault.localhost:<port>` (names under .localhost are loopback, RFC 6761 §6.3). */
export const VAULT_HOST_SUFFIX = 'vault.localhost';

export interface TlsCertificate {
  keyPem: string;
  certPem: string;
}

/**
 * A throw-away self-signed server certificate for localhost, made in-process at start-up (no openssl, no files).
 * @azure/identity insists on https for an authority, so the stand-in needs one; clients trust it explicitly
 * (see src/identity/credential-factory.ts) rather than through NODE_EXTRA_CA_CERTS.
 */
export async function generateLocalhostCertificate(commonName = 'localhost'): Promise<TlsCertificate> {
  // Node checks TLS validity against the real wall clock, not the stand-in's injected Clock.
  const notBeforeDate = new Date(Date.now() - 24 * 3600_000);
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600_000);
  // A distinct common name per certificate when a client trusts several (OpenSSL finds an issuer by its name).
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      // *.vault.localhost: the Key Vault stand-in serves each vault on its own host name, as Azure does.
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 2, value: `*.${VAULT_HOST_SUFFIX}` }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { keyPem: pems.private, certPem: pems.cert };
}
