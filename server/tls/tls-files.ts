import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PemPair } from './local-ca.ts';

/** Where the server reads its certificate (PEM, the chain after it if any) and private key. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** What `npm run tls` writes into the data directory. */
export function localTlsPaths(dataDir: string) {
  const dir = join(dataDir, 'tls');
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    server: { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') } satisfies TlsFiles,
  };
}

/** The configured files, else the ones `npm run tls` made, else none (plain HTTP). */
export function chooseTlsFiles(configured: TlsFiles | undefined, dataDir: string): TlsFiles | undefined {
  if (configured) return configured;
  const local = localTlsPaths(dataDir).server;
  return existsSync(local.certFile) && existsSync(local.keyFile) ? local : undefined;
}

/** Reads and checks a pair; the error names the file and what is wrong with it. */
export function readKeyPair(files: TlsFiles): PemPair {
  return checkKeyPair({ cert: readPem(files.certFile), key: readPem(files.keyFile) }, files);
}

/** Parses both and proves the key belongs to the certificate; returns the pair unchanged. */
export function checkKeyPair(pair: PemPair, files: TlsFiles): PemPair {
  let cert: X509Certificate;
  try {
    // The first certificate is the server's own; any after it are its chain.
    cert = new X509Certificate(pair.cert);
  } catch (error) {
    throw new Error(`${files.certFile}: not a PEM certificate (${reason(error)})`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pair.key);
  } catch (error) {
    throw new Error(`${files.keyFile}: not a PEM private key (${reason(error)})`);
  }
  if (!cert.checkPrivateKey(key)) throw new Error(`${files.keyFile} is not the key of the certificate in ${files.certFile}`);
  return pair;
}

/** Replaces a file whole (rename), so a watcher or a reader never sees half of it. */
export function writeFileAtomically(path: string, content: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  // The mode applies only to a file being created: never reuse a leftover.
  rmSync(temporary, { force: true });
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, path);
}

function readPem(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read (${reason(error)})`);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
