export interface HostileRequest {
  method: string;
  /** Path with its parameters already in place (encoded or raw). */
  path: string;
  query: Record<string, string>;
  auth: 'valid' | 'none' | 'garbage';
  contentType: string | undefined;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

export interface HostileAnswer {
  /** The HTTP status; 0 when the server closed the connection without an answer (e.g. mid-upload after a 413). */
  status: number;
  text: string;
  json: unknown;
  /** Whether the application answered (Node's HTTP parser answers some malformed requests itself, e.g. 431, with no body). */
  isFromApp: boolean;
}

/** Anything longer than this is a hang, not a slow answer. */
const HANG_MS = 15_000;

const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return text; // a lone surrogate: sent as it is
  }
};

/**
 * Sends a request as a hostile client would: whatever the parts hold. Returns undefined for a
 * request fetch itself refuses to send (a URL it cannot parse), so it says nothing about the server.
 */
export async function sendHostile(baseUrl: string, request: HostileRequest, credentials: Record<string, string>): Promise<HostileAnswer | undefined> {
  const query = Object.entries(request.query).map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&');
  let url: URL;
  try {
    url = new URL(`${baseUrl}${request.path}${query ? `?${query}` : ''}`);
  } catch {
    return undefined;
  }
  const headers = new Headers({ ...request.headers, ...credentials });
  if (request.contentType !== undefined) headers.set('content-type', request.contentType);
  let response: Response;
  try {
    response = await fetch(url, { method: request.method, headers, ...(request.body ? { body: new Uint8Array(request.body) } : {}), signal: AbortSignal.timeout(HANG_MS) });
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') throw new Error(`no answer within ${HANG_MS} ms: the server hung on ${request.method} ${url.pathname}`);
    return { status: 0, text: String(error), json: undefined, isFromApp: false };
  }
  const contentType = response.headers.get('content-type');
  if (contentType?.startsWith('text/event-stream')) {
    // A live stream never ends: that it opened is the answer.
    await response.body?.cancel();
    return { status: response.status, text: '', json: undefined, isFromApp: true };
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, isFromApp: contentType !== null };
}

/**
 * Bytes straight onto a socket, for what fetch will not send: invalid UTF-8 in the request line
 * and headers, conflicting lengths, broken chunking. Resolves with the status the server
 * answered (0 if it closed without one).
 */
export async function sendRawBytes(port: number, bytes: Buffer): Promise<number> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${HANG_MS} ms to raw bytes ${JSON.stringify(bytes.toString('latin1').slice(0, 80))}`));
    }, HANG_MS);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (status?.[1]) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(0);
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}
