import type { Runbook } from '../../../shared/schema/runbook.ts';
import type { Replica } from '../../app/replica.ts';
import type { SaveResult } from '../../data/write.ts';
import { isQuotaError, STORAGE_FULL_MESSAGE } from '../../data/storage-errors.ts';

/** The runbook as an approval leaves it: for asking the role rules whether this user may approve. */
export const approved = (runbook: Runbook, approvedBy: string, approvedAt: string): Runbook => ({ ...runbook, status: 'approved', approvedBy, approvedAt });

/**
 * Approves through the shared approval (client/runbooks: it freezes text and steps as a version;
 * Yjs loads only now) and counts both writes as pending until the server has them.
 */
export async function approveOnDevice(replica: Replica, runbookId: string): Promise<SaveResult> {
  try {
    const { approveRunbook } = await import('../../runbooks/approve-runbook.ts');
    const version = await approveRunbook(replica.db, runbookId, replica.user.id);
    replica.pending.add('runbook_versions', version.id, version.updatedAt);
    replica.pending.add('runbooks', runbookId, version.approvedAt);
    return { ok: true };
  } catch (error) {
    const message = isQuotaError(error) ? STORAGE_FULL_MESSAGE : error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Not approved: ${message}`, errors: {} };
  }
}
