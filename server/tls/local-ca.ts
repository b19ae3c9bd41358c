import { X509Certificate, createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateHost } from './hosts.ts';

/** A certificate and its private key, both PEM, as node:tls takes them. */
export interface PemPair {
  cert: string;
  key: string;
}

const CA_YEARS = 10;
/** The longest lifetime browsers accept for a server certificate (Apple's and Chrome's 398-day cap, with a day to spare). */
const SERVER_DAYS = 397;
/** Backdated a little: a device whose clock runs slow would otherwise reject a certificate made just now. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

export function localCaName(machineName: string): string {
  return `Outpost local CA (${machineName})`;
}

/** A new certificate authority for this installation: it signs server certificates, nothing else. */
export function createLocalCa(options: { machineName: string; now?: Date }): PemPair {
  const now = options.now ?? new Date();
  const { forgeKey, keyPem } = newRsaKey(3072);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  cert.validity.notAfter = new Date(now);
  cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + CA_YEARS);
  const subject = [
    // UTF8String: a machine name may hold characters PrintableString cannot (an underscore).
    // @types/node-forge types valueTagClass as an asn1.Class; forge reads it as the string's asn1.Type.
    { name: 'commonName', value: localCaName(options.machineName), valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
    { name: 'organizationName', value: 'Outpost' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    // pathLen 0: it signs server certificates only, never another CA.
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

/** A server certificate for `hosts`, signed by `ca`; it never outlives the CA. */
export function issueServerCertificate(ca: PemPair, hosts: readonly CertificateHost[], options: { now?: Date } = {}): PemPair {
  const first = hosts[0];
  if (!first) throw new Error('a server certificate needs at least one host');
  const now = options.now ?? new Date();
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caKey = forge.pki.privateKeyFromPem(ca.key);
  const { forgeKey, keyPem } = newRsaKey(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(now.getTime() + SERVER_DAYS * 24 * 60 * 60 * 1000);
  cert.validity.notAfter = notAfter < caCert.validity.notAfter ? notAfter : caCert.validity.notAfter;
  cert.setSubject([
    { name: 'commonName', value: first.kind === 'dns' ? first.name : first.address },
    { name: 'organizationName', value: 'Outpost' },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Browsers match the host against these only, never against the common name.
    { name: 'subjectAltName', altNames: hosts.map((host) => (host.kind === 'dns' ? { type: 2, value: host.name } : { type: 7, ip: host.address })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

/** Base64 SHA-256 of the key's SubjectPublicKeyInfo: what Chromium's --ignore-certificate-errors-spki-list takes. */
export function spkiSha256(keyPem: string): string {
  const spki = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** The SHA-256 fingerprint a person compares before trusting a CA (AB:CD:…, as devices show it). */
export function certificateFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** Node generates the key (native, fast); node-forge builds and signs the certificate around it. */
function newRsaKey(modulusLength: number): { forgeKey: forge.pki.rsa.PrivateKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { forgeKey: forge.pki.privateKeyFromPem(keyPem), keyPem };
}

/** 128 random bits, positive and minimally encoded as DER requires (top bit clear, next one set). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}
