import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { CollectionName, EntityOf } from '../../../shared/schema/collections.ts';
import { useReplica } from '../../app/replica-context.tsx';
import type { ConflictedDocument } from '../../data/conflicts.ts';
import { mayWrite } from '../../data/may-write.ts';
import { useDocument } from '../../data/queries.ts';
import { updateDocument } from '../../data/write.ts';
import { ConflictItem } from './ConflictItem.tsx';
import { describePath, resolveConflict, type Resolution } from './conflict-resolution.ts';
import { COLLECTION_NOUNS, documentHref } from './document-links.ts';

/** A document with conflict records: its name, a link to it, and each record to decide on. */
export function ConflictDocument(props: { conflicted: ConflictedDocument }) {
  const replica = useReplica();
  const collection = (): CollectionName => props.conflicted.collection;
  const document = useDocument(props.conflicted.collection, () => props.conflicted.id);
  const href = () => documentHref(collection(), props.conflicted.id);
  const canResolve = () => {
    const current = document();
    return current !== undefined && mayWrite(replica, collection(), current, current);
  };

  const resolve = async (record: ConflictedDocument['conflicts'][number], resolution: Resolution): Promise<string | undefined> => {
    const current = document();
    if (!current) return 'This record is no longer on this device.';
    // Checked on what is shown first, so a removed list item is said plainly; then applied to the latest state.
    const preview = resolveConflict(current, record, resolution);
    if (!preview.ok) return `Cannot take that value: ${preview.reason}.`;
    const result = await updateDocument(replica, collection(), props.conflicted.id, (latest: EntityOf<CollectionName>) => {
      const resolved = resolveConflict(latest, record, resolution);
      if (!resolved.ok) throw new Error(resolved.reason);
      return resolved.document;
    });
    return result.ok ? undefined : result.message;
  };

  return (
    <section class="card conflict-document" aria-labelledby={`conflicted-${props.conflicted.id}`}>
      <header class="conflict-document-head">
        <span class="badge">{COLLECTION_NOUNS[collection()]}</span>
        <h2 id={`conflicted-${props.conflicted.id}`}>
          <Show when={href()} fallback={props.conflicted.label}>
            {(link) => <A href={link()}>{props.conflicted.label}</A>}
          </Show>
        </h2>
      </header>
      <ul class="conflict-list">
        <For each={props.conflicted.conflicts}>
          {(record) => (
            <ConflictItem
              record={record}
              fieldName={describePath(document(), record.path)}
              viewerId={replica.user.id}
              canResolve={canResolve()}
              onResolve={(resolution) => resolve(record, resolution)}
            />
          )}
        </For>
      </ul>
    </section>
  );
}
