import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { Hono } from 'hono';
import QRCode from 'qrcode';
import type { AppEnv } from '../http/app-env.ts';
import { browserOrigin } from '../http/request-origin.ts';
import { setupPage } from './setup-page.ts';
import { localTlsPaths } from './tls-files.ts';

/**
 * GET /ca.crt and GET /setup, for devices to trust the data directory's local CA. Without one
 * (no `npm run tls`), both answer 404, before the app shell would answer them.
 */
export function localCaRoutes(dataDir: string): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { caCert } = localTlsPaths(dataDir);
  // Read once: a CA lasts ten years, and `npm run tls` keeps the one there.
  const caPem = existsSync(caCert) ? readFileSync(caCert, 'utf8') : undefined;
  if (caPem === undefined) {
    routes.get('/ca.crt', (c) => c.notFound());
    routes.get('/setup', (c) => c.notFound());
    return routes;
  }
  const ca = new X509Certificate(caPem);
  const caName = /^CN=(.*)$/m.exec(ca.subject)?.[1] ?? 'the Outpost local CA';

  routes.get('/ca.crt', (c) => {
    c.header('content-type', 'application/x-x509-ca-cert');
    // Not an attachment: iOS Safari offers to install a CA certificate it is shown, as a profile.
    return c.body(caPem);
  });
  routes.get('/setup', async (c) => {
    const appUrl = browserOrigin(c);
    const qrSvg = await QRCode.toString(appUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return c.html(setupPage({ appUrl, caName, caFingerprint: ca.fingerprint256, qrSvg }));
  });
  return routes;
}
