import type { Replica } from '../../app/replica.ts';
import { mayWrite } from '../../data/may-write.ts';
import { newId } from '../../data/ids.ts';
import { blankRisk } from './risk-form.ts';

/** Organizations where the signed-in user may add risks, by the shared role rules. */
export function riskWriterOrgIds(replica: Replica): string[] {
  const now = new Date();
  return replica.user.memberships.map((m) => m.orgId).filter((orgId) => mayWrite(replica, 'risks', undefined, blankRisk(orgId, newId(), now)));
}
