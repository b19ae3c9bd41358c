import type { Runbook } from '../schema/runbook.ts';
import type { RunbookVersion } from '../schema/runbook-version.ts';
import { runbookVersionId } from './version-id.ts';

/**
 * The number an approval freezes: the runbook's own number while that is not frozen yet, else
 * the next after every frozen one (an approved runbook edited and approved again, or sent back
 * to draft and approved again, gets a new number; runs of the old one keep theirs).
 */
export function nextVersionNumber(runbook: Pick<Runbook, 'version'>, frozenNumbers: readonly number[]): number {
  const highestFrozen = Math.max(0, ...frozenNumbers);
  return frozenNumbers.includes(runbook.version) || runbook.version <= highestFrozen ? highestFrozen + 1 : runbook.version;
}

export interface Approval {
  runbook: Runbook;
  /** The runbook's long-form text as the approver sees it (its Yjs document's text). */
  body: string;
  approvedBy: string;
  approvedAt: string;
  version: number;
}

/** The version document an approval writes: text and steps frozen, under its derived id. */
export async function freezeVersion(approval: Approval): Promise<RunbookVersion> {
  const { runbook } = approval;
  return {
    id: await runbookVersionId(runbook.id, approval.version),
    orgId: runbook.orgId,
    runbookId: runbook.id,
    version: approval.version,
    title: runbook.title,
    summary: runbook.summary,
    tags: [...runbook.tags],
    steps: structuredClone(runbook.steps),
    body: approval.body,
    approvedBy: approval.approvedBy,
    approvedAt: approval.approvedAt,
    updatedAt: approval.approvedAt,
  };
}

/** The runbook as approved: signed, numbered, its status approved. */
export function approvedRunbook(approval: Approval): Runbook {
  return { ...approval.runbook, status: 'approved', version: approval.version, approvedBy: approval.approvedBy, approvedAt: approval.approvedAt, updatedAt: approval.approvedAt };
}
