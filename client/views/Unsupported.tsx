import type { PlatformProblem } from '../app/platform-check.ts';

/** Shown instead of the app when this browser cannot keep Outpost's data (see platform-check.ts). */
export function Unsupported(props: { problem: PlatformProblem }) {
  const httpsAddress = () => (location.protocol === 'http:' ? `https://${location.host}${location.pathname}` : undefined);
  return (
    <main class="page unsupported" role="alert">
      <h1>Outpost cannot run here yet</h1>
      {props.problem === 'insecure-connection' ? (
        <>
          <p>
            Outpost needs a secure connection (HTTPS) to keep your data on this device and work offline. This page was opened over plain HTTP ({location.origin}).
          </p>
          <p>Ask your administrator for the https:// address of Outpost{httpsAddress() ? ` (often ${httpsAddress()})` : ''}, and open that instead.</p>
          <p class="muted">
            Administrators: run the server with a certificate (<code>OUTPOST_TLS_CERT</code> and <code>OUTPOST_TLS_KEY</code>, or <code>npm run tls</code> for a local certificate authority), or behind an HTTPS reverse proxy. See
            “Deploying for real” in the README.
          </p>
        </>
      ) : (
        <>
          <p>This browser does not let Outpost store data on this device: it may be a private window, or a browser too old for offline apps.</p>
          <p>Open Outpost in a normal window of a current browser (Chrome, Edge, Firefox or Safari).</p>
        </>
      )}
    </main>
  );
}
