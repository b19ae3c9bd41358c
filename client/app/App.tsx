import { Route, Router, type RouteSectionProps } from '@solidjs/router';
import { ErrorBoundary, Match, Show, Switch, createEffect, createMemo, createResource, createSignal, lazy, onCleanup, onMount } from 'solid-js';
import { Layout } from '../ui/Layout.tsx';
import { UpdatePrompt } from '../ui/UpdatePrompt.tsx';
import { SignIn } from '../views/SignIn.tsx';
import { flushDeferredSignOut } from './sign-out.ts';
import { openReplica, scopeKeyOf, type Replica } from './replica.ts';
import { ReplicaContext } from './replica-context.tsx';
import { refreshSession, user } from './session.ts';

const Dashboard = lazy(() => import('../views/dashboard/Dashboard.tsx'));
const Fleet = lazy(() => import('../views/fleet/Fleet.tsx'));
const DeviceDetail = lazy(() => import('../views/fleet/DeviceDetail.tsx'));
const Alerts = lazy(() => import('../views/alerts/Alerts.tsx'));
const Runbooks = lazy(() => import('../views/runbooks/Runbooks.tsx'));
const RunbookDetail = lazy(() => import('../views/runbooks/RunbookDetail.tsx'));
const RunView = lazy(() => import('../views/runbooks/RunView.tsx'));
const Incidents = lazy(() => import('../views/incidents/Incidents.tsx'));
const IncidentDetail = lazy(() => import('../views/incidents/IncidentDetail.tsx'));
const Risks = lazy(() => import('../views/risks/Risks.tsx'));
const RiskEdit = lazy(() => import('../views/risks/RiskEdit.tsx'));
const Conflicts = lazy(() => import('../views/conflicts/Conflicts.tsx'));
const Admin = lazy(() => import('../views/admin/Admin.tsx'));
const NotFound = lazy(() => import('../views/NotFound.tsx'));

/** Signed in: the user's replica opens (from IndexedDB, no network needed) and the app shows. */
function Shell(props: RouteSectionProps) {
  // A new replica when the user or their scope changes, or when a pending rebuild can run.
  const [rebuilds, setRebuilds] = createSignal(0);
  const replicaKey = createMemo(() => {
    const account = user();
    return account ? `${account.id}|${scopeKeyOf(account)}|${rebuilds()}` : undefined;
  });
  let current: Replica | undefined;
  const [replica] = createResource(replicaKey, async () => {
    await current?.close();
    const account = user();
    current = account ? await openReplica(account) : undefined;
    return current;
  });
  createEffect(() => {
    const open = replica();
    if (open?.status.needsRebuild && open.status.pendingCount() === 0) setRebuilds((n) => n + 1);
  });
  onCleanup(() => void current?.close());
  return (
    <Show when={user()} fallback={<SignIn />}>
      <Switch>
        <Match when={replica.error}>
          <p class="page error" role="alert">
            This device's database could not be opened: {String(replica.error)}
          </p>
        </Match>
        <Match when={replica.state === 'ready' && replica()}>
          {(ready) => (
            <ReplicaContext.Provider value={ready()}>
              <Layout>
                <ErrorBoundary fallback={(error) => <p class="page error" role="alert">Something went wrong here: {String(error)}</p>}>
                  {props.children}
                </ErrorBoundary>
              </Layout>
            </ReplicaContext.Provider>
          )}
        </Match>
      </Switch>
    </Show>
  );
}

export function App() {
  onMount(() => {
    void flushDeferredSignOut().then(() => refreshSession());
    window.addEventListener('online', () => void flushDeferredSignOut());
  });
  return (
    <>
      <Router root={Shell}>
        <Route path="/" component={Dashboard} />
        <Route path="/fleet" component={Fleet} />
        <Route path="/fleet/:id" component={DeviceDetail} />
        <Route path="/alerts" component={Alerts} />
        <Route path="/runbooks" component={Runbooks} />
        <Route path="/runbooks/:id" component={RunbookDetail} />
        <Route path="/runs/:id" component={RunView} />
        <Route path="/incidents" component={Incidents} />
        <Route path="/incidents/:id" component={IncidentDetail} />
        <Route path="/risks" component={Risks} />
        <Route path="/risks/:id" component={RiskEdit} />
        <Route path="/conflicts" component={Conflicts} />
        <Route path="/admin" component={Admin} />
        <Route path="*" component={NotFound} />
      </Router>
      <UpdatePrompt />
    </>
  );
}
