import { ApiError } from '../http/errors.ts';
import type { Store } from '../store/store.ts';

/**
 * A membership limited to some sites must name live sites of its own organization. Unknown sites
 * and sites of other organizations get the same answer, so the check reveals nothing of the latter.
 */
export async function requireSitesOfTheirOrganizations(store: Store, memberships: readonly { orgId: string; siteIds?: readonly string[] | undefined }[]): Promise<void> {
  const siteIds = [...new Set(memberships.flatMap((m) => m.siteIds ?? []))];
  if (siteIds.length === 0) return;
  const sites = new Map((await store.getMany('sites', siteIds)).map((site) => [site.id, site]));
  memberships.forEach((membership, index) => {
    const foreign = (membership.siteIds ?? []).find((id) => {
      const site = sites.get(id);
      return site === undefined || site._deleted || site.orgId !== membership.orgId;
    });
    if (foreign === undefined) return;
    const field = `body.memberships.${index}.siteIds`;
    throw new ApiError(400, 'unknown_site', `${field}: ${foreign} is not a site of this organization`, field);
  });
}
