/** Whether an error (as RxDB or Dexie wrap it) means the device ran out of storage quota. */
export function isQuotaError(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 6; depth++) {
    const { name, message } = cause as { name?: unknown; message?: unknown };
    if (name === 'QuotaExceededError' || (typeof message === 'string' && /quota/i.test(message))) return true;
    cause = (cause as { inner?: unknown; cause?: unknown; parameters?: { error?: unknown } }).inner ?? (cause as { cause?: unknown }).cause ?? (cause as { parameters?: { error?: unknown } }).parameters?.error;
  }
  return false;
}

export const STORAGE_FULL_MESSAGE =
  'This device is out of storage space, so this change was not saved. Everything saved before is safe and will still sync. Free some space on the device and try again.';
