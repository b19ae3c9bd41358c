/** RxDB's local bookkeeping fields: never replicated, never stored by the server. */
const LOCAL_ONLY_FIELDS = ['_meta', '_rev', '_attachments'] as const;

export function withoutLocalFields<T extends object>(document: T): T {
  const copy = { ...document } as Record<string, unknown>;
  for (const field of LOCAL_ONLY_FIELDS) delete copy[field];
  return copy as T;
}
