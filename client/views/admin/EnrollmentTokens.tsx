import { For, Match, Show, Switch, createResource, createSignal } from 'solid-js';
import type { Site } from '../../../shared/schema/site.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { AdminTable, LoadFailure } from './AdminTable.tsx';
import { Field, describedBy } from '../../ui/Field.tsx';
import { Options } from '../../ui/Options.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';
import { adminApi, describeFailure, tokenState, type EnrollmentToken, type Failure, type IssuedToken, type TokenState } from './admin-api.ts';

const EXPIRY_OPTIONS = [
  { value: '24', label: '1 day' },
  { value: '72', label: '3 days' },
  { value: '168', label: '1 week' },
  { value: '720', label: '30 days' },
  { value: '2160', label: '90 days' },
];
/** '' sends no limit: as many enrollments as come before the expiry. */
const USE_OPTIONS = [
  { value: '', label: 'Any number' },
  { value: '1', label: '1 device' },
  { value: '10', label: '10 devices' },
  { value: '50', label: '50 devices' },
  { value: '250', label: '250 devices' },
  { value: '1000', label: '1,000 devices' },
];
const STATE_BADGES: Record<TokenState, { label: string; tone: string }> = {
  active: { label: 'Active', tone: 'ok' },
  expired: { label: 'Expired', tone: '' },
  revoked: { label: 'Revoked', tone: 'bad' },
  'used up': { label: 'Used up', tone: '' },
};

/** The token itself, shown this once (the server keeps only its hash), with the command that uses it. */
function IssuedTokenPanel(props: { issued: IssuedToken; siteName: string; onDone(): void }) {
  const [copyState, setCopyState] = createSignal<'copied' | 'failed'>();
  const command = () => `outpost-agent enroll --server ${location.origin} --token ${props.issued.token}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.issued.token);
      setCopyState('copied');
    } catch {
      // No clipboard access (permissions, an old browser): the text is selected for a manual copy.
      document.querySelector<HTMLInputElement>('#issued-token')?.select();
      setCopyState('failed');
    }
  };
  return (
    <div class="issued-token" role="status">
      <p>
        <strong>Token for {props.siteName}</strong>, valid until {formatDateTime(props.issued.expiresAt)}
        {props.issued.maxUses === null ? '' : ` for ${props.issued.maxUses} device${props.issued.maxUses === 1 ? '' : 's'}`}. It is shown only now: copy it before leaving this page.
      </p>
      <div class="token-row">
        <label for="issued-token" class="sr-only">
          Enrollment token
        </label>
        <input id="issued-token" readonly value={props.issued.token} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="primary" onClick={() => void copy()}>
          {copyState() === 'copied' ? 'Copied' : 'Copy token'}
        </button>
      </div>
      <Show when={copyState() === 'failed'}>
        <p class="field-error">This browser would not copy: the token is selected, copy it with your keyboard.</p>
      </Show>
      <p class="muted">On the device, run:</p>
      <pre class="command">{command()}</pre>
      <button type="button" class="small" onClick={() => props.onDone()}>
        Done
      </button>
    </div>
  );
}

/** Site enrollment tokens for agents: issue one with an expiry, see them all, revoke. */
export function EnrollmentTokens(props: { sites: Site[]; reloadKey: number }) {
  const [tokens, { mutate, refetch }] = createResource(() => props.reloadKey, () => adminApi.listTokens());
  const sortedSites = () => [...props.sites].sort((a, b) => a.name.localeCompare(b.name));
  const [siteId, setSiteId] = createSignal('');
  const [hours, setHours] = createSignal('72');
  const [maxUses, setMaxUses] = createSignal('');
  const [issued, setIssued] = createSignal<IssuedToken>();
  const [failure, setFailure] = createSignal<Failure>();
  const [confirming, setConfirming] = createSignal<string>();
  const [revokeError, setRevokeError] = createSignal<string>();
  const siteName = (id: string) => props.sites.find((s) => s.id === id)?.name ?? 'a site you cannot see';
  const chosenSite = () => siteId() || sortedSites()[0]?.id || '';

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    setFailure(undefined);
    try {
      const token = await adminApi.createToken(chosenSite(), Number(hours()), maxUses() === '' ? undefined : Number(maxUses()));
      setIssued(token);
      void refetch();
    } catch (error) {
      setFailure(describeFailure(error));
    }
  };
  const revoke = async (token: EnrollmentToken) => {
    setRevokeError(undefined);
    try {
      await adminApi.revokeToken(token.id);
      mutate((list) => list?.map((t) => (t.id === token.id ? { ...t, revokedAt: new Date().toISOString() } : t)));
      setConfirming(undefined);
    } catch (error) {
      setRevokeError(describeFailure(error).message);
    }
  };

  return (
    <section class="card admin-panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Agent enrollment tokens</h2>
      <p class="muted">An agent enrolls once with a site's token and then has its own credential. Revoking a token stops new enrollments, not agents already enrolled.</p>
      <Show when={issued()} fallback={
        <form class="token-form" onSubmit={(e) => void create(e)} novalidate>
          <Field id="token-site" label="Site" error={failure()?.field === 'siteId' ? failure()?.message : undefined}>
            <select id="token-site" value={chosenSite()} onChange={(e) => setSiteId(e.currentTarget.value)} {...describedBy('token-site', failure()?.field === 'siteId' ? failure()?.message : undefined)}>
              <Options options={sortedSites().map((s) => ({ value: s.id, label: s.name }))} selected={chosenSite()} />
            </select>
          </Field>
          <Field id="token-expiry" label="Valid for">
            <select id="token-expiry" value={hours()} onChange={(e) => setHours(e.currentTarget.value)}>
              <Options options={EXPIRY_OPTIONS} selected={hours()} />
            </select>
          </Field>
          <Field id="token-uses" label="Devices it may enroll" error={failure()?.field === 'maxUses' ? failure()?.message : undefined}>
            <select id="token-uses" value={maxUses()} onChange={(e) => setMaxUses(e.currentTarget.value)} {...describedBy('token-uses', failure()?.field === 'maxUses' ? failure()?.message : undefined)}>
              <Options options={USE_OPTIONS} selected={maxUses()} />
            </select>
          </Field>
          <button type="submit" class="primary" disabled={!chosenSite()}>
            Create token
          </button>
          <Show when={failure()?.field !== 'siteId' && failure()?.field !== 'maxUses'}>
            <ErrorText message={failure()?.message} />
          </Show>
        </form>
      }>
        {(token) => <IssuedTokenPanel issued={token()} siteName={siteName(token().siteId)} onDone={() => setIssued(undefined)} />}
      </Show>

      <Switch>
        <Match when={tokens.error}>
          <LoadFailure what="Tokens" error={tokens.error} onRetry={() => void refetch()} />
        </Match>
        <Match when={tokens.latest?.length === 0}>
          <p class="muted">No tokens yet.</p>
        </Match>
        <Match when={tokens.latest}>
          {(list) => (
            <AdminTable caption="Enrollment tokens, newest first" columns={['Site', 'Created', 'Expires', 'Enrollments', 'State']} class="tokens-table">
              <For each={list()}>
                {(token) => {
                  const state = () => tokenState(token, Date.now());
                  return (
                    <tr data-token-id={token.id}>
                      <td>
                        <strong>{siteName(token.siteId)}</strong>
                      </td>
                      <td>{formatDateTime(token.createdAt)}</td>
                      <td>{formatDateTime(token.expiresAt)}</td>
                      <td>{token.maxUses === null ? token.uses : `${token.uses} of ${token.maxUses}`}</td>
                      <td>
                        <span class={`badge ${STATE_BADGES[state()].tone}`}>{STATE_BADGES[state()].label}</span>
                      </td>
                      <td class="row-actions">
                        <Show when={state() === 'active'}>
                          <Show
                            when={confirming() === token.id}
                            fallback={
                              <button type="button" class="small" aria-label={`Revoke the token for ${siteName(token.siteId)} created ${formatDateTime(token.createdAt)}`} onClick={() => setConfirming(token.id)}>
                                Revoke
                              </button>
                            }
                          >
                            <span class="confirm">
                              <button type="button" class="small danger" onClick={() => void revoke(token)}>
                                Confirm revoke
                              </button>
                              <button type="button" class="small" onClick={() => setConfirming(undefined)}>
                                Keep
                              </button>
                            </span>
                            <ErrorText message={revokeError()} />
                          </Show>
                        </Show>
                      </td>
                    </tr>
                  );
                }}
              </For>
            </AdminTable>
          )}
        </Match>
      </Switch>
    </section>
  );
}
