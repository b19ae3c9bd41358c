import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import type { PemPair } from './local-ca.ts';
import { chooseTlsFiles, readKeyPair, type TlsFiles } from './tls-files.ts';

/** The certificate the server starts with, and where to watch for its renewal. */
export interface ServerTls {
  files: TlsFiles;
  pair: PemPair;
}

/** The configured pair, else the one `npm run tls` made, else undefined (plain HTTP); a bad pair stops the start. */
export function loadServerTls(configured: TlsFiles | undefined, dataDir: string): ServerTls | undefined {
  const files = chooseTlsFiles(configured, dataDir);
  return files && { files, pair: readKeyPair(files) };
}

/**
 * @hono/node-server's options for HTTPS. HTTP/1.1, not HTTP/2: the live stream (SSE), the agent
 * routes and the graceful drain (which watches an http(s).Server's requests) are proven on it.
 */
export function httpsServeOptions(tls: ServerTls) {
  return { createServer, serverOptions: { cert: tls.pair.cert, key: tls.pair.key } };
}

/** The DNS names and addresses a certificate is for: names the server answers to (the Host check). */
export function certificateHostNames(certPem: string): string[] {
  const altNames = new X509Certificate(certPem).subjectAltName ?? '';
  return altNames
    .split(', ')
    .flatMap((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1] ?? [])
    .map((name) => name.toLowerCase());
}
