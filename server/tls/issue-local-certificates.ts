import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { CertificateHost } from './hosts.ts';
import { createLocalCa, issueServerCertificate, type PemPair } from './local-ca.ts';
import { checkKeyPair, localTlsPaths, writeFileAtomically } from './tls-files.ts';

const PRIVATE = 0o600;
const PUBLIC = 0o644;

export interface IssuedCertificates {
  paths: ReturnType<typeof localTlsPaths>;
  ca: PemPair;
  isCaNew: boolean;
  server: PemPair;
}

/**
 * What `npm run tls` does: makes the data directory's local CA unless it has one (devices that
 * trust it keep trusting it), then issues a new server certificate for `hosts` signed by it.
 */
export function issueLocalCertificates(
  dataDir: string,
  hosts: readonly CertificateHost[],
  options: { now?: Date; machineName?: string } = {},
): IssuedCertificates {
  const paths = localTlsPaths(dataDir);
  const now = options.now ?? new Date();
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  let ca = readLocalCa(paths, now);
  const isCaNew = ca === undefined;
  if (!ca) {
    ca = createLocalCa({ machineName: options.machineName ?? hostname(), now });
    writeFileAtomically(paths.caKey, ca.key, PRIVATE);
    writeFileAtomically(paths.caCert, ca.cert, PUBLIC);
  }
  const server = issueServerCertificate(ca, hosts, { now });
  // Key first: a server watching these files sees a pair that fits once the certificate lands.
  writeFileAtomically(paths.server.keyFile, server.key, PRIVATE);
  writeFileAtomically(paths.server.certFile, server.cert, PUBLIC);
  return { paths, ca, isCaNew, server };
}

/** The CA already in the data directory, checked, or undefined when there is none yet. */
function readLocalCa(paths: ReturnType<typeof localTlsPaths>, now: Date): PemPair | undefined {
  const hasCert = existsSync(paths.caCert);
  const hasKey = existsSync(paths.caKey);
  if (!hasCert && !hasKey) return undefined;
  const again = `restore it, or remove ${paths.caCert} and ${paths.caKey} to make a new CA (every device must then trust the new one)`;
  if (!hasCert || !hasKey) throw new Error(`${hasCert ? paths.caCert : paths.caKey} is there without ${hasCert ? paths.caKey : paths.caCert}: ${again}`);
  const ca = checkKeyPair({ cert: readFileSync(paths.caCert, 'utf8'), key: readFileSync(paths.caKey, 'utf8') }, { certFile: paths.caCert, keyFile: paths.caKey });
  const cert = new X509Certificate(ca.cert);
  if (!cert.ca) throw new Error(`${paths.caCert} is not a CA certificate: ${again}`);
  if (new Date(cert.validTo) <= now) throw new Error(`the local CA in ${paths.caCert} expired on ${cert.validTo}: ${again}`);
  return ca;
}
