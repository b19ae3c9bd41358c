import { encodeCheckpoint, type Checkpoint } from '../../shared/sync/checkpoint.ts';

/** A pull request's URL: the same text for the same position, so a page fetched ahead is found again. */
export const pullUrl = (base: string, checkpoint: Checkpoint | undefined, limit: number) =>
  `${base}/pull?checkpoint=${encodeURIComponent(encodeCheckpoint(checkpoint))}&limit=${limit}`;

/** Where the page after one starts: its checkpoint stacked over the request's (as RxDB's stackCheckpoints does). */
export const checkpointAfter = (checkpoint: Checkpoint | undefined, page: Checkpoint): Checkpoint => ({ ...checkpoint, ...page });

/** What the next pull would ask for, so it can be fetched while this page is being stored. */
export interface NextPull {
  base: string;
  checkpoint: Checkpoint | undefined;
  limit: number;
}
