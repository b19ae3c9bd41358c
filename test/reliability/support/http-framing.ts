/** One HTTP/1.1 request as it crossed the wire: enough to replay it byte for byte. */
export interface FramedRequest {
  method: string;
  path: string;
  bytes: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Cuts the first complete request off `buffer`: undefined while it is incomplete, 'unframeable'
 * for a chunked body (fetch sends string bodies with a Content-Length; anything else is passed
 * through without faults).
 */
export function takeRequest(buffer: Buffer): { request: FramedRequest; rest: Buffer } | 'unframeable' | undefined {
  const headerEnd = buffer.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = buffer.subarray(0, headerEnd).toString('latin1');
  const [requestLine = '', ...headerLines] = head.split('\r\n');
  const [method = '', path = ''] = requestLine.split(' ');
  let contentLength = 0;
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'transfer-encoding' && value.toLowerCase() !== 'identity') return 'unframeable';
    if (name === 'content-length') contentLength = Number(value);
  }
  if (!Number.isSafeInteger(contentLength) || contentLength < 0) return 'unframeable';
  const end = headerEnd + HEADER_END.length + contentLength;
  if (buffer.length < end) return undefined;
  return { request: { method, path, bytes: Buffer.from(buffer.subarray(0, end)) }, rest: buffer.subarray(end) };
}
