import { flushOpenTexts, openCollabText, type CollabText } from '../collab/collab-text.ts';
import { approvedRunbook, freezeVersion, nextVersionNumber } from '../../shared/runbook/freeze-version.ts';
import { runbookVersionId } from '../../shared/runbook/version-id.ts';
import type { Runbook } from '../../shared/schema/runbook.ts';
import { RUNBOOK_BODY_MAX_LENGTH, type RunbookVersion } from '../../shared/schema/runbook-version.ts';
import type { OutpostDatabase } from '../db/database.ts';

export interface ApproveOptions {
  /** The text open in the editor, if any: its last keystrokes are written and frozen too. */
  text?: CollabText;
  now?: Date;
}

/** A replica document's entity: RxDB's own fields (`_rev`, `_meta`, `_deleted`…) left out. */
const entityOf = <T>(data: object): T => Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('_'))) as T;

/** The runbook's text as this device has it, from the open editor or read from the replica. */
async function currentBody(db: OutpostDatabase, runbookId: string, open: CollabText | undefined): Promise<string> {
  if (open) {
    await open.flush();
    return open.text.toString();
  }
  // An editor open in this tab may still hold the last keystrokes: they belong in the version.
  await flushOpenTexts({ collection: 'runbooks', id: runbookId });
  const text = openCollabText(db, { collection: 'runbooks', id: runbookId });
  try {
    await text.loaded;
    return text.text.toString();
  } finally {
    await text.close();
  }
}

/**
 * Approves a runbook on this device, offline or not: freezes its text and steps as the next
 * version (a runbook_versions document) and marks the runbook approved at that number. Both
 * replicate like any edit; the server checks the approver is a manager signing as themselves.
 */
export async function approveRunbook(db: OutpostDatabase, runbookId: string, approverId: string, options: ApproveOptions = {}): Promise<RunbookVersion> {
  const document = await db.runbooks.findOne(runbookId).exec();
  if (!document) throw new Error('This runbook is not on this device.');
  const body = await currentBody(db, runbookId, options.text);
  if (body.length > RUNBOOK_BODY_MAX_LENGTH) throw new Error(`The text is longer than ${RUNBOOK_BODY_MAX_LENGTH} characters: shorten it to approve.`);
  const runbook = entityOf<Runbook>(document.toMutableJSON());
  const frozen = await db.runbook_versions.find({ selector: { runbookId } }).exec();
  const approval = {
    runbook,
    body,
    approvedBy: approverId,
    approvedAt: (options.now ?? new Date()).toISOString(),
    version: nextVersionNumber(runbook, frozen.map((v) => v.version)),
  };
  const version = await freezeVersion(approval);
  await db.runbook_versions.insert(version);
  const { status, approvedBy, approvedAt, updatedAt } = approvedRunbook(approval);
  await document.incrementalPatch({ status, version: approval.version, approvedBy, approvedAt, updatedAt });
  return version;
}

/** The frozen version a run followed: (runbookId, runbookVersion) names exactly one. */
export async function frozenVersion(db: OutpostDatabase, runbookId: string, version: number): Promise<RunbookVersion | undefined> {
  const document = await db.runbook_versions.findOne(await runbookVersionId(runbookId, version)).exec();
  return document ? entityOf<RunbookVersion>(document.toMutableJSON()) : undefined;
}
