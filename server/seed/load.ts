import { COLLECTION_NAMES } from '../../shared/schema/collections.ts';
import type { Store, StoredDocument } from '../store/store.ts';
import type { Dataset } from './generate.ts';

/** Writes a generated dataset through the store, so every document gets a server sequence. */
export async function loadDataset(store: Store, dataset: Dataset): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const collection of COLLECTION_NAMES) {
    const documents = dataset[collection].map((d) => ({ ...d, _deleted: false }) as StoredDocument);
    for (let i = 0; i < documents.length; i += 5000) {
      await store.insertMany(collection, documents.slice(i, i + 5000));
    }
    counts[collection] = documents.length;
  }
  return counts;
}
