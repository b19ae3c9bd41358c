import { createMemo } from 'solid-js';
import { useReplica } from '../app/replica-context.tsx';
import { useDocuments } from './queries.ts';

/**
 * Names for the user ids that documents carry (acknowledgedBy, startedBy, by…), from the
 * replicated directory; the signed-in user is "you".
 */
export function usePersonName(): (userId: string | undefined) => string {
  const replica = useReplica();
  const entries = useDocuments('users');
  const names = createMemo(() => new Map(entries().map((entry) => [entry.userId, entry.name])));
  return (userId) => {
    if (userId === undefined) return 'nobody';
    if (userId === replica.user.id) return 'you';
    return names().get(userId) ?? 'a former member';
  };
}
