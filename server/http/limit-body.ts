import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorResponse } from './errors.ts';
import { unreadableBody } from './json-body.ts';

/**
 * Hono's bodyLimit touches `req.raw.body`, which makes the Node adapter build a web stream for
 * every request; with a Content-Length the header alone decides (the HTTP parser never reads
 * past it), and only chunked bodies are counted as they stream.
 */
export function limitBody(maxSize: number, message: string): MiddlewareHandler {
  const onError = (c: Context) => errorResponse(c, new ApiError(413, 'body_too_large', message, 'body'));
  const streaming = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const length = c.req.header('content-length');
    const isChunked = c.req.header('transfer-encoding') !== undefined;
    if (!isChunked) return length !== undefined && Number(length) > maxSize ? onError(c) : next();
    // The streaming limit reads the whole body before `next`: a failure before then is the body's.
    let isBodyRead = false;
    try {
      return await streaming(c, () => {
        isBodyRead = true;
        return next();
      });
    } catch (error) {
      if (isBodyRead) throw error;
      throw unreadableBody();
    }
  };
}
