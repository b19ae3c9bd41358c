import type { ApiErrorBody } from '../../shared/sync/protocol.ts';

/** An answer from the server that is not a success: its code and message are shown as they are. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** True when the request never reached the server (offline, DNS, reset): not the user's fault. */
export const isNetworkError = (error: unknown): boolean => error instanceof TypeError;

export async function requestJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    credentials: 'same-origin',
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (body as ApiErrorBody | undefined)?.error;
    throw new ApiRequestError(response.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${response.status}.`, error?.field);
  }
  return body as T;
}
