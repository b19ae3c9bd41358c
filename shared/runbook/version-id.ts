/**
 * The id of version `version` of a runbook: derived from both (a SHA-256 name-based UUID,
 * version 8), so two managers approving the same version offline write the same document and
 * the second is refused instead of leaving two "version 3"s. A run's (runbookId, runbookVersion)
 * thus names exactly one frozen version.
 */
export async function runbookVersionId(runbookId: string, version: number): Promise<string> {
  const name = new TextEncoder().encode(`outpost runbook version\u0000${runbookId}\u0000${version}`);
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', name)).slice(0, 16);
  bytes[6] = 0x80 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
