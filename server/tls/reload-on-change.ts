import { X509Certificate } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import type { Logger } from '../observability/logger.ts';
import type { PemPair } from './local-ca.ts';
import { checkKeyPair, type TlsFiles } from './tls-files.ts';

export interface ReloadOptions {
  logger: Logger;
  /** Writers touch a file several times (truncate, write, rename; the key, then the certificate): read once they are done. */
  debounceMs?: number;
  /** A slow re-read besides the watch: fs.watch misses changes on some network and container mounts. */
  pollMs?: number;
}

/**
 * Serves a renewed certificate without a restart: when either file changes, the pair is read
 * again and, if it parses and the key fits the certificate, becomes the one new connections get
 * (open ones keep theirs). A bad pair is logged and the current one kept.
 *
 * The watch is on the files' directories, not the files: editors, certbot (symlinks in live/) and
 * Kubernetes secrets (a swapped ..data link) replace a file by rename, which a watch on the old
 * file would never see.
 */
export function reloadOnChange(
  server: { setSecureContext(options: SecureContextOptions): void },
  files: TlsFiles,
  current: PemPair,
  options: ReloadOptions,
): () => void {
  const { logger } = options;
  let served = current;
  let rejected: PemPair | undefined;
  let timer: NodeJS.Timeout | undefined;

  const reload = () => {
    let pair: PemPair;
    try {
      pair = { cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.keyFile, 'utf8') };
    } catch (error) {
      // Between a delete and a re-create, say; the next change brings it back.
      logger.warn({ err: error }, 'TLS: cannot read the certificate or key: the current certificate stays');
      return;
    }
    if (isSamePair(pair, served) || (rejected && isSamePair(pair, rejected))) return;
    try {
      checkKeyPair(pair, files);
      server.setSecureContext({ cert: pair.cert, key: pair.key });
    } catch (error) {
      rejected = pair;
      logger.warn({ certFile: files.certFile, keyFile: files.keyFile, reason: error instanceof Error ? error.message : String(error) }, 'TLS: the new certificate or key is not usable: the current certificate stays');
      return;
    }
    served = pair;
    rejected = undefined;
    const cert = new X509Certificate(pair.cert);
    logger.info({ certFile: files.certFile, subjectAltName: cert.subjectAltName, serialNumber: cert.serialNumber, validTo: cert.validTo }, 'TLS: serving the new certificate');
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, options.debounceMs ?? 300);
    timer.unref();
  };

  const watchers: FSWatcher[] = [];
  for (const directory of new Set([dirname(files.certFile), dirname(files.keyFile)])) {
    try {
      // Not persistent: a watch must not keep a stopping process alive.
      watchers.push(watch(directory, { persistent: false }, schedule).on('error', (error) => logger.warn({ err: error, directory }, 'TLS: stopped watching the directory; changes are still read every poll')));
    } catch (error) {
      logger.warn({ err: error, directory }, 'TLS: cannot watch the directory; changes are read every poll only');
    }
  }
  const poll = setInterval(reload, options.pollMs ?? 60_000);
  poll.unref();

  return () => {
    clearTimeout(timer);
    clearInterval(poll);
    for (const watcher of watchers) watcher.close();
  };
}

function isSamePair(a: PemPair, b: PemPair): boolean {
  return a.cert === b.cert && a.key === b.key;
}
