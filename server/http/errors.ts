import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import type { ApiErrorBody } from '../../shared/sync/protocol.ts';

/** An error a client can act on: a status, a stable code, a message and the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) } };
  }
}

/** Turns the first valibot issue into a 400 naming the field (prefixed with where it came from). */
export function invalidInput(where: string, issues: readonly v.BaseIssue<unknown>[]): ApiError {
  const issue = issues[0];
  const path = issue ? v.getDotPath(issue) : null;
  const field = path ? `${where}.${path}` : where;
  const expected = issue?.expected ? ` (expected ${issue.expected})` : '';
  return new ApiError(400, 'invalid_input', `${field}: ${issue?.message ?? 'is invalid'}${expected}`, field);
}

export function parseInput<TSchema extends v.GenericSchema>(where: string, schema: TSchema, input: unknown): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw invalidInput(where, result.issues);
  return result.output;
}

export function errorResponse(c: Context, error: ApiError): Response {
  return c.json(error.toBody(), error.status);
}
