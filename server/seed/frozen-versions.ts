import { freezeVersion } from '../../shared/runbook/freeze-version.ts';
import type { Runbook } from '../../shared/schema/runbook.ts';
import type { RunbookVersion } from '../../shared/schema/runbook-version.ts';

/**
 * The version each approved (or since retired) runbook of a dataset was frozen as when it was
 * approved, so seeded runs point at a real frozen version and the version history is not empty.
 */
export async function frozenVersionsOf(runbooks: readonly Runbook[]): Promise<RunbookVersion[]> {
  const approved = runbooks.filter((r): r is Runbook & { approvedBy: string; approvedAt: string } => r.approvedBy !== undefined && r.approvedAt !== undefined);
  return Promise.all(approved.map((runbook) => freezeVersion({ runbook, body: '', approvedBy: runbook.approvedBy, approvedAt: runbook.approvedAt, version: runbook.version })));
}
