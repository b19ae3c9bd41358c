import { X509Certificate } from 'node:crypto';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { certificateHosts, hostLabel } from './hosts.ts';
import { issueLocalCertificates } from './issue-local-certificates.ts';
import { certificateFingerprint, spkiSha256 } from './local-ca.ts';

const USAGE = 'usage: npm run tls -- --host <DNS name or IP address> [--host …]   (localhost and 127.0.0.1 are always included)';

function main(): void {
  const { values } = parseArgs({ options: { host: { type: 'string', multiple: true }, help: { type: 'boolean' } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  // Every host is checked before anything is written.
  const hosts = certificateHosts(values.host ?? []);
  const config = loadConfig();
  const issued = issueLocalCertificates(config.dataDir, hosts);
  const { paths } = issued;
  const shown = (path: string) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));
  const ca = new X509Certificate(issued.ca.cert);
  const server = new X509Certificate(issued.server.cert);

  const caName = ca.subject.match(/^CN=(.*)$/m)?.[1] ?? '';
  console.log(`${issued.isCaNew ? 'Created' : 'Reused'} the local certificate authority "${caName}"`);
  console.log(`  ${shown(paths.caCert)}   install this on every device that opens Outpost`);
  console.log(`  ${shown(paths.caKey)}   the CA's private key (mode 0600): keep it secret, it can vouch for any site`);
  console.log(`  SHA-256 fingerprint ${certificateFingerprint(issued.ca.cert)}`);
  console.log(`Issued a server certificate for ${hosts.map(hostLabel).join(', ')}, valid until ${server.validTo}`);
  console.log(`  ${shown(paths.server.certFile)}`);
  console.log(`  ${shown(paths.server.keyFile)}   (mode 0600)`);
  console.log(`  SPKI SHA-256 ${spkiSha256(issued.server.key)}   (for Chromium's --ignore-certificate-errors-spki-list)`);
  console.log('');
  if (config.tls) {
    console.log('Note: OUTPOST_TLS_CERT and OUTPOST_TLS_KEY are set, so the server uses those files, not these.');
  }
  const first = hosts[0] ? hostLabel(hosts[0]) : 'localhost';
  const origin = `https://${first.includes(':') ? `[${first}]` : first}:${config.port}`;
  console.log(`Next: start the server (npm start): it finds these files in the data directory and serves HTTPS`);
  console.log(`(a server already running on them picks up the new certificate by itself). Then open`);
  console.log(`${origin}/setup on each device to install the CA certificate and trust it.`);
}

try {
  main();
} catch (error) {
  console.error(`npm run tls: ${error instanceof Error ? error.message : String(error)}`);
  console.error(USAGE);
  process.exitCode = 1;
}
