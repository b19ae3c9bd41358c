import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootstrapAdmin } from '../../server/auth/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/observability/logger.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { SQLITE_FILENAME } from '../../server/store/open-store.ts';
import { certificateHosts } from '../../server/tls/hosts.ts';
import { issueLocalCertificates, type IssuedCertificates } from '../../server/tls/issue-local-certificates.ts';
import { createLocalCa, issueServerCertificate } from '../../server/tls/local-ca.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestDatabase } from '../support/server.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Of the certificate the server presented on this request's connection. */
  serialNumber: string;
  reusedSocket: boolean;
}

interface RequestOptions {
  /** The name sent in TLS SNI and checked against the certificate (without it, 127.0.0.1 is checked). */
  servername?: string;
  /** The only trusted root: the server's CA unless a test says otherwise. */
  ca?: string;
  agent?: Agent;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The real server on 127.0.0.1, its log lines kept. */
interface TlsServer {
  server: RunningServer;
  port: number;
  logs: string[];
  dispose(): Promise<void>;
}

async function startTlsServer(dataDir: string, env: Record<string, string> = {}): Promise<TlsServer> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } });
  const database = await createTestDatabase(join(dataDir, SQLITE_FILENAME));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    OUTPOST_DATA_DIR: dataDir,
    OUTPOST_STATIC_DIR: join(dataDir, 'no-client'),
    OUTPOST_STREAM_HEARTBEAT_SECONDS: '1',
    ...env,
  });
  const server = await startServer(config, await database.openStore(), { logger });
  return {
    server,
    port: Number(new URL(server.url).port),
    logs,
    async dispose() {
      await server.close();
      await database.drop();
    },
  };
}

function send(port: number, path: string, caPem: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        ca: options.ca ?? caPem,
        ...(options.servername === undefined ? {} : { servername: options.servername }),
        // A new connection (and TLS handshake) for each request, unless a test passes an agent.
        agent: options.agent ?? false,
        headers: options.headers ?? {},
      },
      (res) => {
        const serialNumber = (res.socket as TLSSocket).getPeerCertificate().serialNumber;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, serialNumber, reusedSocket: req.reusedSocket }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A response left open (the live stream): its chunks as they come. */
function openStream(port: number, path: string, caPem: string, headers: Record<string, string>): Promise<{ response: IncomingMessage; chunks: string[] }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, ca: caPem, agent: false, headers }, (response) => {
      const chunks: string[] = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => chunks.push(chunk));
      resolve({ response, chunks });
    });
    req.on('error', reject);
    req.end();
  });
}

const serialOf = (certPem: string) => new X509Certificate(certPem).serialNumber;

describe('HTTPS with the certificate `npm run tls` made', () => {
  let dataDir: string;
  let issued: IssuedCertificates;
  let tls: TlsServer;
  const hosts = certificateHosts(['outpost.test']);
  const get = (path: string, options: RequestOptions = {}) => send(tls.port, path, issued.ca.cert, options);
  const byName = (): RequestOptions => ({ servername: 'outpost.test', headers: { host: `outpost.test:${tls.port}` } });
  const signIn = () =>
    get('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'outpost-https-'));
    issued = issueLocalCertificates(dataDir, hosts, { machineName: 'test-machine' });
    tls = await startTlsServer(dataDir);
    await bootstrapAdmin(tls.server.store, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await tls?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves HTTPS to a client that trusts only the local CA, at the names the certificate is for', async () => {
    expect(tls.server.url).toBe(`https://127.0.0.1:${tls.port}`);
    const reply = await get('/healthz', byName());
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ status: 'ok' });
    expect(reply.serialNumber).toBe(serialOf(issued.server.cert));
    expect((await get('/healthz')).status).toBe(200);
  });

  it('is refused by a client for a name the certificate is not for, or by one that does not trust the CA', async () => {
    await expect(get('/healthz', { servername: 'elsewhere.test' })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const otherCa = createLocalCa({ machineName: 'someone-else' });
    await expect(get('/healthz', { ca: otherCa.cert })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('serves the CA certificate at /ca.crt', async () => {
    const reply = await get('/ca.crt', byName());
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(reply.body).toBe(issued.ca.cert);
  });

  it('serves /setup: how to trust the CA on each platform, and a QR code of the address the device used', async () => {
    const reply = await get('/setup', byName());
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/html/);
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.body).not.toMatch(/<script|<link|src="http/);
    for (const text of ['Android', 'iPhone and iPad', 'Windows', 'macOS', 'General → About → Certificate Trust Settings']) expect(reply.body).toContain(text);
    expect(reply.body).toContain('Outpost local CA (test-machine)');
    expect(reply.body).toContain(new X509Certificate(issued.ca.cert).fingerprint256);
    const qrSvg = await QRCode.toString(`https://outpost.test:${tls.port}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    expect(reply.body).toContain(qrSvg);
  });

  it('signs in with a Secure cookie: the browser is on HTTPS', async () => {
    const reply = await signIn();
    expect(reply.status).toBe(200);
    expect(reply.headers['set-cookie']?.[0]).toMatch(/; Secure/);
  });

  it('serves a renewed certificate to new connections while open ones, a live stream too, carry on', async () => {
    const cookie = (await signIn()).headers['set-cookie']?.[0]?.split(';')[0] ?? '';
    const stream = await openStream(tls.port, '/api/sync/stream', issued.ca.cert, { cookie, accept: 'text/event-stream' });
    expect(stream.response.statusCode).toBe(200);
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const oldSerial = serialOf(issued.server.cert);
      expect((await get('/healthz', { agent: keepAlive })).serialNumber).toBe(oldSerial);

      // `npm run tls` run again: the same CA, a new server key and certificate, at the same paths.
      const renewed = issueLocalCertificates(dataDir, hosts);
      const newSerial = serialOf(renewed.server.cert);
      expect(newSerial).not.toBe(oldSerial);
      await vi.waitFor(async () => expect((await get('/healthz', { servername: 'outpost.test' })).serialNumber).toBe(newSerial), { timeout: 10_000, interval: 100 });
      expect(tls.logs.join('')).toContain('TLS: serving the new certificate');

      const onOpenSocket = await get('/healthz', { agent: keepAlive });
      expect(onOpenSocket.status).toBe(200);
      expect(onOpenSocket.reusedSocket).toBe(true);
      expect(onOpenSocket.serialNumber).toBe(oldSerial);

      // The stream still gets its heartbeats (one a second) after the switch.
      const seen = stream.chunks.length;
      await vi.waitFor(() => expect(stream.chunks.length).toBeGreaterThan(seen), { timeout: 5_000 });
      expect(stream.response.complete).toBe(false);
      expect(stream.response.socket.destroyed).toBe(false);
      issued = renewed;
    } finally {
      keepAlive.destroy();
      stream.response.destroy();
    }
  });

  it('keeps the current certificate when the new files are not a usable pair, and says why', async () => {
    const current = serialOf(issued.server.cert);
    const { certFile, keyFile } = issued.paths.server;
    const refusals = () => tls.logs.filter((line) => line.includes('is not usable')).length;

    writeFileSync(certFile, 'not a certificate\n');
    await vi.waitFor(() => expect(refusals()).toBe(1), { timeout: 10_000 });
    expect((await get('/healthz', { servername: 'outpost.test' })).serialNumber).toBe(current);

    // A good certificate, but the key beside it is still the old one.
    writeFileSync(certFile, issueServerCertificate(issued.ca, hosts).cert);
    await vi.waitFor(() => expect(refusals()).toBe(2), { timeout: 10_000 });
    expect(tls.logs.join('')).toContain(`${keyFile} is not the key of the certificate in ${certFile}`);
    const reply = await get('/healthz', { servername: 'outpost.test' });
    expect(reply.status).toBe(200);
    expect(reply.serialNumber).toBe(current);
  });
});

describe('HTTPS with OUTPOST_TLS_CERT and OUTPOST_TLS_KEY', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-https-configured-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the configured pair; without a local CA, /ca.crt and /setup answer 404, not the app shell', async () => {
    const ca = createLocalCa({ machineName: 'elsewhere' });
    const pair = issueServerCertificate(ca, certificateHosts(['outpost.test']));
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'certs', 'fullchain.pem'), pair.cert);
    writeFileSync(join(dir, 'certs', 'privkey.pem'), pair.key);
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    // An app shell that answers any other path.
    mkdirSync(join(dir, 'client'));
    writeFileSync(join(dir, 'client', 'index.html'), '<!doctype html><title>app shell</title>');
    const tls = await startTlsServer(dataDir, {
      OUTPOST_TLS_CERT: join(dir, 'certs', 'fullchain.pem'),
      OUTPOST_TLS_KEY: join(dir, 'certs', 'privkey.pem'),
      OUTPOST_STATIC_DIR: join(dir, 'client'),
    });
    try {
      expect((await send(tls.port, '/healthz', ca.cert, { servername: 'outpost.test' })).serialNumber).toBe(serialOf(pair.cert));
      expect((await send(tls.port, '/somewhere', ca.cert)).body).toContain('app shell');
      for (const path of ['/ca.crt', '/setup']) {
        const reply = await send(tls.port, path, ca.cert);
        expect(reply.status, path).toBe(404);
        expect(reply.body, path).not.toContain('app shell');
      }
    } finally {
      await tls.dispose();
    }
  });

  it('refuses to start when the key is not the certificate’s, naming both files', async () => {
    const ca = createLocalCa({ machineName: 'elsewhere' });
    writeFileSync(join(dir, 'cert.pem'), issueServerCertificate(ca, certificateHosts([])).cert);
    writeFileSync(join(dir, 'key.pem'), issueServerCertificate(ca, certificateHosts([])).key);
    const config = loadConfig({ PORT: '0', OUTPOST_DATA_DIR: join(dir, 'unused'), OUTPOST_TLS_CERT: join(dir, 'cert.pem'), OUTPOST_TLS_KEY: join(dir, 'key.pem') });
    await expect(startServer(config)).rejects.toThrow(`${join(dir, 'key.pem')} is not the key of the certificate in ${join(dir, 'cert.pem')}`);
  });
});
