// The PWA shell replaces this entry; until then the page reports whether the server is reachable.
const statusLine = document.getElementById('status');

async function showServerStatus(): Promise<void> {
  if (!statusLine) return;
  try {
    const response = await fetch('/healthz');
    const health = (await response.json()) as { status: string; store: string };
    statusLine.textContent = `Server ${health.status}, storing data in ${health.store}.`;
  } catch {
    statusLine.textContent = 'The server cannot be reached.';
  }
}

void showServerStatus();
export {};
