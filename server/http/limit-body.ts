import type { Context, MiddlewareHandler } from 'hono';
import type { BodyBudget, BodyLease } from './body-budget.ts';
import { ApiError, errorResponse } from './errors.ts';

interface BodyPolicy {
  maxBytes: number;
  message: string;
  lease: BodyLease | undefined;
}

const policies = new WeakMap<Context, BodyPolicy>();

/** For a route that forgot limitBody: small, so the omission shows in its tests. */
const FALLBACK_POLICY: BodyPolicy = { maxBytes: 64 * 1024, message: 'request body must be at most 64 KiB', lease: undefined };

/**
 * Sets how large a body the handlers after it may read, and counts what they read against the
 * server's `budget` of bodies in flight. Reads nothing itself: a body is read only when a
 * handler asks for it (readLimitedText), so a middleware that refuses first (authentication)
 * answers before a byte of the body is taken in. A declared Content-Length over the limit is
 * refused from the header alone.
 */
export function limitBody(maxBytes: number, message: string, budget?: BodyBudget): MiddlewareHandler {
  return async (c, next) => {
    const length = c.req.header('content-length');
    const isChunked = c.req.header('transfer-encoding') !== undefined;
    if (!isChunked && length !== undefined && Number(length) > maxBytes) return errorResponse(c, tooLarge(message));
    const lease = budget?.lease();
    policies.set(c, { maxBytes, message, lease });
    try {
      await next();
    } finally {
      lease?.release();
    }
  };
}

/**
 * The request body as text, within the limit set by limitBody. With a Content-Length the header
 * decides (the HTTP parser never reads past it) and the body is read directly; any other body
 * (chunked) is counted as it streams in, and reading stops at the first chunk past the limit.
 */
export async function readLimitedText(c: Context): Promise<string> {
  const policy = policies.get(c) ?? FALLBACK_POLICY;
  const length = c.req.header('content-length');
  if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
    const declaredBytes = Number(length);
    if (!(declaredBytes <= policy.maxBytes)) throw tooLarge(policy.message);
    if (policy.lease && !policy.lease.take(declaredBytes)) throw serverBusy(c);
    try {
      return await c.req.text();
    } catch {
      throw unreadableBody();
    }
  }
  const body = c.req.raw.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let totalBytes = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw unreadableBody();
    }
    if (chunk.done) break;
    totalBytes += chunk.value.byteLength;
    if (totalBytes > policy.maxBytes) throw tooLarge(policy.message);
    if (policy.lease && !policy.lease.take(chunk.value.byteLength)) throw serverBusy(c);
    chunks.push(chunk.value);
  }
  // As Request.text() decodes: UTF-8, a byte-order mark dropped, bad sequences replaced.
  return new TextDecoder().decode(Buffer.concat(chunks));
}

const tooLarge = (message: string) => new ApiError(413, 'body_too_large', message, 'body');

/** The client went away mid-body, or its chunked encoding broke: its fault, not the server's. */
export const unreadableBody = () => new ApiError(400, 'invalid_body', 'the request body could not be read to its end', 'body');

function serverBusy(c: Context): ApiError {
  c.header('Retry-After', '1');
  return new ApiError(503, 'server_busy', 'the server is receiving too many large requests at once: send this one again shortly', 'body');
}
