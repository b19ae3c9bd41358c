import type { Context } from 'hono';
import { ApiError } from './errors.ts';

/**
 * Reads a JSON body. Only `application/json` is accepted: browsers cannot send it cross-site
 * without a CORS preflight, which is part of our CSRF defence.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'body must be sent as application/json', 'content-type');
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_json', 'body is not valid JSON', 'body');
  }
}
