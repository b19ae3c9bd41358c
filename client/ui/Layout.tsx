import { A, useLocation } from '@solidjs/router';
import { For, Show, createSignal, type JSX } from 'solid-js';
import { useReplica } from '../app/replica-context.tsx';
import { highestRole } from '../app/session.ts';
import { FirstSyncProgress } from './FirstSyncProgress.tsx';
import { SignOutButton } from './SignOutButton.tsx';
import { SyncIndicator } from './SyncIndicator.tsx';
import { destinationsFor } from './navigation.ts';

/** Header with the sync state, a side bar on wide screens and a bottom bar on phones. */
export function Layout(props: { children?: JSX.Element }) {
  const replica = useReplica();
  const location = useLocation();
  const destinations = () => destinationsFor(highestRole(replica.user));
  const [isMoreOpen, setMoreOpen] = createSignal(false);
  const isCurrent = (href: string) => (href === '/' ? location.pathname === '/' : location.pathname.startsWith(href));

  return (
    <div class="shell">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <A href="/" class="brand" aria-label="Outpost dashboard">
          <img src="/icons/icon.svg" alt="" width="28" height="28" />
          <span>Outpost</span>
        </A>
        <SyncIndicator />
        <div class="account">
          <span class="muted account-name">{replica.user.name}</span>
          <SignOutButton />
        </div>
      </header>
      <nav class="sidebar" aria-label="Main">
        <ul>
          <For each={destinations()}>
            {(d) => (
              <li>
                <A href={d.href} end={d.href === '/'} aria-current={isCurrent(d.href) ? 'page' : undefined}>
                  <span aria-hidden="true" class="icon">{d.icon}</span>
                  {d.label}
                </A>
              </li>
            )}
          </For>
        </ul>
      </nav>
      <main id="main" class="content" tabindex="-1">
        <FirstSyncProgress />
        {props.children}
      </main>
      <nav class="bottombar" aria-label="Main (phone)">
        <For each={destinations().filter((d) => d.isPrimary)}>
          {(d) => (
            <A href={d.href} end={d.href === '/'} aria-current={isCurrent(d.href) ? 'page' : undefined} onClick={() => setMoreOpen(false)}>
              <span aria-hidden="true" class="icon">{d.icon}</span>
              <span>{d.label}</span>
            </A>
          )}
        </For>
        <button type="button" aria-expanded={isMoreOpen()} aria-controls="more-menu" onClick={() => setMoreOpen(!isMoreOpen())}>
          <span aria-hidden="true" class="icon">⋯</span>
          <span>More</span>
        </button>
      </nav>
      <Show when={isMoreOpen()}>
        <div id="more-menu" class="more-menu" role="menu" aria-label="More destinations">
          <For each={destinations().filter((d) => !d.isPrimary)}>
            {(d) => (
              <A role="menuitem" href={d.href} onClick={() => setMoreOpen(false)}>
                <span aria-hidden="true" class="icon">{d.icon}</span> {d.label}
              </A>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}
