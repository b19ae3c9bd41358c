import { authorizeWrite, type DocumentState } from '../../shared/auth/permissions.ts';
import type { CollectionName, EntityOf } from '../../shared/schema/collections.ts';
import type { Runbook } from '../../shared/schema/runbook.ts';
import type { Replica } from '../app/replica.ts';
import { actorOf } from '../app/session.ts';

const asState = (entity: object): DocumentState => ({ ...(entity as DocumentState), _deleted: false });

/**
 * Whether the signed-in user may make this write, by the shared role rules the server applies:
 * for hiding or disabling what would be refused anyway. `runbook` is the one a run follows.
 */
export function mayWrite<C extends CollectionName>(
  replica: Replica,
  collection: C,
  before: EntityOf<C> | undefined,
  after: EntityOf<C>,
  runbook?: Pick<Runbook, 'id' | 'orgId' | 'status'>,
): boolean {
  return authorizeWrite({
    actor: actorOf(replica.user),
    collection,
    before: before === undefined ? undefined : asState(before),
    after: asState(after),
    context: { runbooks: new Map(runbook ? [[runbook.id, runbook]] : []) },
  }).allowed;
}
