export interface SetupPageFacts {
  /** The origin the device opened this page at: what the QR code and the links point to. */
  appUrl: string;
  caName: string;
  /** SHA-256 of the CA certificate, AB:CD:…, to compare before trusting it. */
  caFingerprint: string;
  /** The app URL as an inline SVG QR code. */
  qrSvg: string;
}

/**
 * How to trust the local CA on each kind of device. Plain HTML: nothing external and no script
 * (the CSP allows our own scripts only), one inline style block (the CSP allows inline styles).
 */
export function setupPage(facts: SetupPageFacts): string {
  const caName = escapeHtml(facts.caName);
  const appUrl = escapeHtml(facts.appUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Set up this device for Outpost</title>
<style>
  body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 42rem; margin: 0 auto; padding: 1rem; }
  code { overflow-wrap: anywhere; }
  .qr svg { width: 12rem; height: 12rem; }
  .download { display: inline-block; padding: 0.6rem 1rem; border: 1px solid currentColor; border-radius: 0.4rem; }
</style>
</head>
<body>
<h1>Set up this device for Outpost</h1>
<p>This server's HTTPS certificate comes from its own certificate authority, <strong>${caName}</strong>.
Install and trust that CA certificate once on each device; after that, the browser opens Outpost without warnings and lets it work offline.</p>
<p><a class="download" href="/ca.crt">Download the CA certificate</a></p>
<p>Before you trust it, check that its SHA-256 fingerprint is the one <code>npm run tls</code> printed on the server:<br><code>${escapeHtml(facts.caFingerprint)}</code></p>

<h2>Android</h2>
<ol>
  <li>Download the CA certificate above.</li>
  <li>Settings → Security (or Security &amp; privacy) → More security settings → Encryption &amp; credentials → Install a certificate → <em>CA certificate</em> (search Settings for “CA certificate” if your phone names it differently).</li>
  <li>Choose the downloaded file and confirm.</li>
</ol>

<h2>iPhone and iPad</h2>
<ol>
  <li>Open this page in Safari and download the CA certificate; allow the configuration profile.</li>
  <li>Settings → General → VPN &amp; Device Management → the downloaded profile → Install.</li>
  <li>Settings → General → About → Certificate Trust Settings → turn on full trust for <strong>${caName}</strong>.</li>
</ol>

<h2>Windows</h2>
<ol>
  <li>Download the CA certificate and open it → Install Certificate → Current User.</li>
  <li>Place all certificates in the following store → Browse → <em>Trusted Root Certification Authorities</em> → Finish, and confirm.</li>
  <li>Restart the browser. (For every user of the machine, as an administrator: <code>certutil -addstore -f Root ca.crt</code>.)</li>
</ol>

<h2>macOS</h2>
<ol>
  <li>Download the CA certificate and open it: Keychain Access adds it to the login keychain.</li>
  <li>Double-click <strong>${caName}</strong> → Trust → When using this certificate: <em>Always Trust</em>, and confirm with your password.</li>
  <li>Restart the browser. (Or in Terminal: <code>sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ca.crt</code>.)</li>
</ol>

<p>Firefox can keep its own list: Settings → Privacy &amp; Security → Certificates → View Certificates → Authorities → Import.</p>

<h2>Open Outpost</h2>
<p>Scan this code with the phone's camera, or open <a href="${appUrl}/">${appUrl}</a>.
Until the phone trusts the CA, the browser warns there: install the CA first.</p>
<div class="qr">${facts.qrSvg}</div>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
