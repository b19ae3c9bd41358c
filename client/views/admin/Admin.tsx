import { Show, createEffect, createSignal, on } from 'solid-js';
import { useReplica } from '../../app/replica-context.tsx';
import { useDocuments } from '../../data/queries.ts';
import { useNetworkOnline } from '../../ui/network.ts';
import { EnrollmentTokens } from './EnrollmentTokens.tsx';
import { UsersPanel } from './UsersPanel.tsx';
import './admin.css';

/** Administration: accounts and agent enrollment. Both live on the server, so this page needs the network. */
export default function Admin() {
  const replica = useReplica();
  const adminOrgIds = replica.user.memberships.filter((m) => m.role === 'admin').map((m) => m.orgId);
  const orgs = useDocuments('orgs');
  const sites = useDocuments('sites');
  const isOnline = useNetworkOnline();
  // Back online: read the lists again, since what they showed may have failed or gone stale.
  const [reloadKey, setReloadKey] = createSignal(0);
  createEffect(on(isOnline, (online) => online && setReloadKey((n) => n + 1), { defer: true }));
  const adminSites = () => sites().filter((s) => adminOrgIds.includes(s.orgId));

  return (
    <section class="page admin" aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <Show when={adminOrgIds.length > 0} fallback={<p class="card">Only administrators can manage users and enrollment tokens.</p>}>
        <Show when={!isOnline()}>
          <p class="notice offline-notice" role="status">
            <strong>You are offline.</strong> Users and enrollment tokens are kept on the server, not on this device: this page works again when you are back
            online. Everything else in Outpost keeps working offline.
          </p>
        </Show>
        <div class="admin-panels">
          <UsersPanel selfId={replica.user.id} adminOrgIds={adminOrgIds} orgs={orgs()} sites={adminSites()} reloadKey={reloadKey()} />
          <EnrollmentTokens sites={adminSites()} reloadKey={reloadKey()} />
        </div>
      </Show>
    </section>
  );
}
