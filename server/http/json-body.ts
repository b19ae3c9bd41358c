import type { Context } from 'hono';
import { ApiError } from './errors.ts';
import { readLimitedText } from './limit-body.ts';

/**
 * Reads a JSON body. Only `application/json` is accepted: browsers cannot send it cross-site
 * without a CORS preflight, which is part of our CSRF defence.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'body must be sent as application/json', 'content-type');
  }
  // Within the route's limit (limitBody), and only once the handler asks, after authentication.
  const text = await readLimitedText(c);
  let forbiddenKey: string | undefined;
  let parsed: unknown;
  // The reviver costs; only bodies that mention a forbidden key at all pay for the exact check.
  const mayHoldForbiddenKey = FORBIDDEN_KEY_TEXT.test(text);
  try {
    parsed = mayHoldForbiddenKey
      ? JSON.parse(text, (key, value: unknown) => {
          if (FORBIDDEN_KEYS.has(key)) forbiddenKey = key;
          return value;
        })
      : (JSON.parse(text) as unknown);
  } catch (error) {
    if (error instanceof RangeError) throw new ApiError(400, 'invalid_input', 'body is nested too deeply', 'body');
    throw new ApiError(400, 'invalid_json', 'body is not valid JSON', 'body');
  }
  if (forbiddenKey !== undefined) {
    throw new ApiError(400, 'invalid_input', `body: the key ${JSON.stringify(forbiddenKey)} is not allowed anywhere`, 'body');
  }
  return parsed;
}

/** Keys that could reach an object's prototype if any code ever merged bodies naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Also matches escaped spellings such as "\u005f_proto__", which JSON.parse decodes. */
const FORBIDDEN_KEY_TEXT = /proto|constructor|\\u/i;
