import { runbookVersionId } from '../../../shared/runbook/version-id.ts';
import type { Runbook } from '../../../shared/schema/runbook.ts';
import type { Replica } from '../../app/replica.ts';
import { createDocument, updateDocument, type SaveResult } from '../../data/write.ts';

/** The runbook as its approval leaves it, signed by the approver. */
export const approved = (runbook: Runbook, approvedBy: string, approvedAt: string, version = runbook.version): Runbook => ({
  ...runbook,
  status: 'approved',
  approvedBy,
  approvedAt,
  version,
});

/** The collaborative long-form text as it stands on this device (Yjs loads only now). */
async function bodyOf(replica: Replica, runbookId: string): Promise<string> {
  const { openCollabText } = await import('../../collab/collab-text.ts');
  const collab = openCollabText(replica.db, { collection: 'runbooks', id: runbookId });
  try {
    await collab.loaded;
    return collab.text.toString();
  } finally {
    await collab.close();
  }
}

/**
 * Approves the runbook and freezes what was approved (text and steps) as a runbook version, so
 * a run keeps an exact record of what it followed. A number already frozen is never reused:
 * approving again after edits makes the next version.
 */
export async function approveRunbook(replica: Replica, runbook: Runbook): Promise<SaveResult> {
  const approvedAt = new Date().toISOString();
  const isFrozen = async (version: number) => (await replica.db.runbook_versions.findOne(await runbookVersionId(runbook.id, version)).exec()) !== null;
  const version = (await isFrozen(runbook.version)) ? runbook.version + 1 : runbook.version;
  const frozen = await createDocument(replica, 'runbook_versions', {
    id: await runbookVersionId(runbook.id, version),
    orgId: runbook.orgId,
    runbookId: runbook.id,
    version,
    title: runbook.title,
    summary: runbook.summary,
    tags: runbook.tags,
    steps: runbook.steps,
    body: await bodyOf(replica, runbook.id),
    approvedBy: replica.user.id,
    approvedAt,
  });
  if (!frozen.ok) return frozen;
  return updateDocument(replica, 'runbooks', runbook.id, (current) => approved(current, replica.user.id, approvedAt, version));
}
