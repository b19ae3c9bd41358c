import type { UserRecord } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';
import { createDemoAccounts } from './demo-accounts.ts';
import type { Dataset } from './generate.ts';
import { frozenVersionsOf } from './frozen-versions.ts';
import { loadDataset } from './load.ts';

/**
 * Loads a generated dataset and gives its directory entries sign-in accounts; the directory
 * documents themselves are derived from those accounts, as for any user.
 */
export async function seedDatabase(store: Store, dataset: Dataset): Promise<{ counts: Record<string, number>; accounts: UserRecord[] }> {
  const versions = [...dataset.runbook_versions, ...(await frozenVersionsOf(dataset.runbooks))];
  const counts = await loadDataset(store, { ...dataset, runbook_versions: versions, users: [] });
  const accounts = await createDemoAccounts(store, dataset.users);
  counts['users'] = dataset.users.length;
  return { counts, accounts };
}
