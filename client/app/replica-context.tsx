import { createContext, useContext } from 'solid-js';
import type { Replica } from './replica.ts';

export const ReplicaContext = createContext<Replica>();

/** The signed-in user's replica; every view below the shell has one. */
export function useReplica(): Replica {
  const replica = useContext(ReplicaContext);
  if (!replica) throw new Error('useReplica() outside the signed-in shell');
  return replica;
}
