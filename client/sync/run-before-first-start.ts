import type { RxReplicationState } from 'rxdb/plugins/replication';

/**
 * Runs `task` inside the replication's first start, before RxDB's replication loop begins.
 * RxDB serializes start, pause and cancel in one queue, and starts on leadership or when the
 * tab becomes visible; running inside `_start` keeps the task inside that queue, in the leader
 * only. cancel() aborts the task's signal first, so a stop does not wait for it to finish.
 */
export function runBeforeFirstStart<T, C>(replication: RxReplicationState<T, C>, task: (signal: AbortSignal) => Promise<void>): void {
  const abort = new AbortController();
  const start = replication._start.bind(replication);
  replication._start = async () => {
    if (!replication.wasStarted && !replication.isStopped()) {
      await task(abort.signal);
      if (abort.signal.aborted) return;
    }
    return start();
  };
  const cancel = replication.cancel.bind(replication);
  replication.cancel = () => {
    abort.abort();
    return cancel();
  };
}
